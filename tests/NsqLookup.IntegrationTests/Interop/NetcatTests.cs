using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Interop;

/// <summary>The README's netcat example, run for real with netcat-openbsd (.ci/run installs it).</summary>
public sealed class NetcatTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ReadmeNetcatExample_GetsAnOkFrame()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var command = $"printf '  V1PING\\n' | nc -q1 127.0.0.1 {daemon.TcpEndPoint.Port} | od -An -tx1";
        var result = await ProcessRunner.RunAsync("sh", ["-c", command], null, TimeSpan.FromSeconds(30));
        output.WriteLine(result.StdOut + result.StdErr);
        result.ExitCode.Should().Be(0);
        result.StdOut.Trim().Should().Be("00 00 00 02 4f 4b");
    }
}
