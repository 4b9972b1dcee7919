using System.Net.Http.Json;
using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Interop;

/// <summary>The README's netcat examples, run for real with netcat-openbsd (.ci/run installs it).</summary>
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

    /// <summary>
    /// The README's quick start, as written there but for the port: a shell and nc play nsqd (the magic, IDENTIFY with
    /// its size-prefixed body, REGISTER) and /lookup shows the producer for as long as the connection stays open.
    /// </summary>
    [Fact]
    public async Task ReadmeQuickStart_RegistersAProducerThatLookupShows()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        const string QuickStart = """
            body='{"broadcast_address":"nsqd1.example","tcp_port":4150,"http_port":4151,"version":"1.3.0"}'
            size=$(printf '\\%03o' ${#body})
            { printf "  V1IDENTIFY\n\\0\\0\\0$size%s" "$body"; printf 'REGISTER orders billing\n'; sleep 60; } | nc 127.0.0.1 4160 >/dev/null
            """;
        var script = QuickStart.Replace("nc 127.0.0.1 4160", $"nc 127.0.0.1 {daemon.TcpEndPoint.Port}", StringComparison.Ordinal);

        await using (var shell = new ProcessRunner.Running("sh", ["-c", script]))
        {
            await Eventually.TrueAsync(async () => (await LookupOrdersAsync(daemon)).Producers == 1);
            var (channels, _, broadcastAddress) = await LookupOrdersAsync(daemon);
            channels.Should().Equal("billing");
            broadcastAddress.Should().Be("nsqd1.example");
            shell.Process.HasExited.Should().BeFalse("the registration lasts as long as the connection");
        }

        // The shell and its nc are gone (stopped by PID): the connection closed, and the producer with it.
        await Eventually.TrueAsync(async () => (await LookupOrdersAsync(daemon)).Producers == 0);
    }

    private static async Task<(string[] Channels, int Producers, string? BroadcastAddress)> LookupOrdersAsync(TestDaemon daemon)
    {
        using var answer = await daemon.Http.GetAsync("/lookup?topic=orders").WaitAsync(TestDaemon.Timeout);
        if (answer.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return ([], 0, null); // not registered yet
        }

        answer.EnsureSuccessStatusCode();
        var json = await answer.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TestDaemon.Timeout);
        var channels = json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()!).ToArray();
        var producers = json.GetProperty("producers").EnumerateArray().ToArray();
        return (channels, producers.Length, producers.FirstOrDefault().ValueKind == JsonValueKind.Object
            ? producers[0].GetProperty("broadcast_address").GetString()
            : null);
    }
}
