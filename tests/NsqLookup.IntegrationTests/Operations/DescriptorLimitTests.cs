using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Operations;

/// <summary>The open-file limit against <c>--max-tcp-connections</c> plus <c>--http-max-connections</c>.</summary>
public sealed class DescriptorLimitTests(ITestOutputHelper output)
{
    private const string Warning = "WARNING: --max-tcp-connections (10000) plus --http-max-connections (10000) exceed the open-file limit (3000)";

    [Fact]
    public async Task CapsOverTheOpenFileLimit_AreNamedInAWarningAtStartup()
    {
        await using var daemon = StartUnderLimit(3000);
        await DaemonProcess.WaitListeningAsync(daemon);
        output.WriteLine(daemon.StdErr);
        daemon.StdErr.Should().Contain(Warning);
        daemon.StdErr.Should().Contain("lower the caps or raise the limit");
    }

    [Fact]
    public async Task CapsWithinTheOpenFileLimit_StartQuietly()
    {
        await using var daemon = StartUnderLimit(3000, "--max-tcp-connections=1000", "--http-max-connections=1500");
        await DaemonProcess.WaitListeningAsync(daemon);
        daemon.StdErr.Should().NotContain("WARNING");
    }

    [Fact]
    public async Task TheSoftLimit_IsRaisedToTheHardOne()
    {
        await using var daemon = DaemonProcess.StartAt(
            "/bin/sh",
            ["-c", "ulimit -Sn 2000 && ulimit -Hn 3000 && exec \"$0\" \"$@\"", DaemonProcess.BinaryPath,
                "--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--log-level=debug"]);
        await DaemonProcess.WaitListeningAsync(daemon);
        output.WriteLine(daemon.StdErr);
        daemon.StdErr.Should().Contain(Warning, "the soft limit (2000) was raised to the hard one before the caps were checked");
    }

    /// <summary>The real binary under <c>ulimit -n</c> (soft and hard), on loopback ports the kernel picks.</summary>
    private static ProcessRunner.Running StartUnderLimit(int limit, params string[] args) =>
        DaemonProcess.StartAt(
            "/bin/sh",
            ["-c", $"ulimit -n {limit} && exec \"$0\" \"$@\"", DaemonProcess.BinaryPath, "--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", .. args]);
}
