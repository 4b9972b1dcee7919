using System.Net;
using System.Text;
using System.Text.Json;
using NsqLookup.IntegrationTests.Cli;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Tests.Cli;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>The built binary with --config (docs/protocol.md, "Command line and config file"; T115–T117) and our
/// logging flags (--log-format, --quiet-pings).</summary>
public sealed class ConfigAndLoggingProcessTests
{
    private const string LoopbackConfig = "tcp_address = \"127.0.0.1:0\"\nhttp_address = \"127.0.0.1:0\"\n";

    private static async Task<TestClient> IdentifiedClientAsync(IPEndPoint tcp)
    {
        var client = await TestClient.ConnectAsync(tcp);
        await client.SendAsync(TestClient.Magic);
        await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        await client.ReadFrameAsync();
        return client;
    }

    private static async Task StopAsync(ProcessRunner.Running daemon)
    {
        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0, daemon.StdErr);
    }

    [Fact]
    public async Task T115_ConfigAddressesAndBroadcastAddress_AreHonouredAndTheCommandLineWins()
    {
        using var config = new TempConfig(LoopbackConfig + "broadcast_address = \"lk-config.example\"\nlog_level = \"warn\"\n");
        await using var daemon = DaemonProcess.Start($"--config={config.Path}", "--log-level=info");

        // The "listening" lines are INFO: they only appear because --log-level=info beat log_level = "warn".
        var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);
        tcp.Address.Should().Be(IPAddress.Loopback);
        http.Address.Should().Be(IPAddress.Loopback);

        await using (var client = await TestClient.ConnectAsync(tcp))
        {
            await client.SendAsync(TestClient.Magic);
            await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
            var identity = JsonDocument.Parse(await client.ReadFrameAsync()).RootElement;
            identity.GetProperty("broadcast_address").GetString().Should().Be("lk-config.example");
            identity.GetProperty("tcp_port").GetInt32().Should().Be(tcp.Port);
            identity.GetProperty("http_port").GetInt32().Should().Be(http.Port);
        }

        await StopAsync(daemon);
    }

    [Fact]
    public async Task T115_FileLogLevel_AppliesWithoutTheFlag()
    {
        // log_level = "warn" hides the INFO version line; the bind failure's FATAL line is still printed.
        using var config = new TempConfig("log_level = \"warn\"\ntcp_address = \"256.0.0.1:1\"\nhttp_address = \"127.0.0.1:0\"\n");
        var result = await DaemonProcess.RunAsync($"--config={config.Path}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().MatchRegex(@"^\[nsqlookupd\] [0-9/: .]+ FATAL: failed to instantiate nsqlookupd - [^\n]*\n$");
    }

    [Fact]
    public async Task T116_IntegerInactiveProducerTimeout_IsMilliseconds()
    {
        using var config = new TempConfig(LoopbackConfig + "inactive_producer_timeout = 1000\n");
        await using var daemon = DaemonProcess.Start($"--config={config.Path}");
        var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);
        using var httpClient = new HttpClient { BaseAddress = new Uri($"http://{http}"), Timeout = TimeSpan.FromSeconds(10) };

        (await httpClient.GetStringAsync("/ping")).Should().Be("OK"); // connection and JIT warm-up, outside the 1 s window

        await using (var client = await IdentifiedClientAsync(tcp))
        {
            (await client.CommandAsync("REGISTER orders\n")).Should().Be("OK");

            // Visible while heard from within the last second: a PING right before each query keeps it so, and only a
            // query slower than the timeout itself (a very loaded machine) is retried. Times are taken before sending
            // the PING: the daemon's touch happens after, so it hides the producer at least 1 s later.
            var lastHeard = DateTime.UtcNow;
            var visible = false;
            for (var attempt = 0; attempt < 5 && !visible; attempt++)
            {
                lastHeard = DateTime.UtcNow;
                (await client.CommandAsync("PING\n")).Should().Be("OK");
                visible = await NodesAsync(httpClient) == 1;
                if (!visible)
                    (DateTime.UtcNow - lastHeard).Should().BeGreaterThan(TimeSpan.FromMilliseconds(900), "hidden too early");
            }

            visible.Should().BeTrue();

            // No more pings: hidden once 1 s has passed, not after the default 5 minutes.
            await Eventually.TrueAsync(async () => await NodesAsync(httpClient) == 0, TimeSpan.FromSeconds(10));
            (DateTime.UtcNow - lastHeard).Should().BeGreaterThan(TimeSpan.FromMilliseconds(900));
        }

        await StopAsync(daemon);
    }

    private static async Task<int> NodesAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/nodes")).RootElement.GetProperty("producers").GetArrayLength();

    [Fact]
    public async Task T117_MissingConfigFile_ExitsOne()
    {
        var result = await DaemonProcess.RunAsync("--config=/nonexistent", "--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().MatchRegex(
            @"^\[nsqlookupd\] \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} FATAL: failed to load config file /nonexistent - open /nonexistent: no such file or directory\n$");
    }

    [Fact]
    public async Task T117_BadLogLevelInTheFile_ExitsOne()
    {
        using var config = new TempConfig(LoopbackConfig + "log_level = \"loud\"\n");
        var result = await DaemonProcess.RunAsync($"--config={config.Path}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().MatchRegex(@"^\[nsqlookupd\] \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} FATAL: failed parsing log_level loud\n$");
    }

    [Fact]
    public async Task UncoercibleValue_PrintsTheGoOptionsLineAndExitsOne()
    {
        using var config = new TempConfig(LoopbackConfig + "tombstone_lifetime = \"abc\"\n");
        var result = await DaemonProcess.RunAsync($"--config={config.Path}", "--log-prefix=[x] ");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().MatchRegex(
            @"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} ERROR: Resolve failed to coerce value abc \(45s\) for field TombstoneLifetime - time: invalid duration ""abc""\n$");
    }

    [Fact]
    public async Task ConfigErrors_ComeAfterVersionAndBeforeBinding()
    {
        var version = await DaemonProcess.RunAsync("--config=/nonexistent", "--version");
        version.ExitCode.Should().Be(0);
        version.StdOut.Should().StartWith("nsqlookupd v1.3.0");

        var bad = await DaemonProcess.RunAsync("--config=/nonexistent", "--tcp-address=256.0.0.1:1");
        bad.StdErr.Should().Contain("failed to load config file").And.NotContain("nsqlookupd v1.3.0").And.NotContain("instantiate");
    }

    [Fact]
    public async Task JsonLogLines_ParseAndCarryTheTextFormatMessages()
    {
        using var config = new TempConfig(LoopbackConfig + "log_format = \"json\"\n");
        await using var daemon = DaemonProcess.Start($"--config={config.Path}");
        var (tcp, _) = await DaemonProcess.WaitListeningAsync(daemon);
        string peer;
        await using (var client = await IdentifiedClientAsync(tcp))
        {
            peer = client.LocalAddress;
            (await client.CommandAsync("REGISTER orders\n")).Should().Be("OK");
        }

        (await daemon.WaitForAsync(d => d.StdErr.Contains("exiting ioloop", StringComparison.Ordinal), TimeSpan.FromSeconds(10))).Should().BeTrue();
        await StopAsync(daemon);

        var lines = daemon.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        lines.Should().OnlyContain(l => l.GetProperty("timestamp").GetString()!.Length > 0 && l.GetProperty("level").GetString()!.Length > 0);
        var messages = lines.Select(l => l.GetProperty("message").GetString()).ToArray();
        messages[0].Should().StartWith("nsqlookupd v1.3.0 (built w/");
        messages.Should().Contain($"TCP: listening on {tcp}")
            .And.Contain($"CLIENT({peer}): IDENTIFY Address:nsqd1.example TCP:4150 HTTP:4151 Version:1.3.0")
            .And.Contain($"DB: client({peer}) REGISTER category:topic key:orders subkey:")
            .And.Contain($"TCP: closing {tcp}");
        lines.Should().OnlyContain(l => l.GetProperty("level").GetString() == "INFO");
    }

    [Fact]
    public async Task AspnetcoreEnvironmentVariables_ConfigureNothing()
    {
        // Flags and the config file are the only configuration (docs/design.md, "Hosting"). A host that read
        // ASPNETCORE_URLS would log Kestrel's "Overriding address(es)" warning for it (or bind it).
        int unusedPort;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            unusedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{unusedPort}",
            ["ASPNETCORE_HTTP_PORTS"] = unusedPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DOTNET_URLS"] = $"http://127.0.0.1:{unusedPort}",

            // A web host that ran hosting startups would fail to load this one and log an error.
            ["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = "NoSuch.HostingStartup",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        await using var daemon = new ProcessRunner.Running(
            DaemonProcess.BinaryPath, ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--log-level=debug"], null, environment);
        var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
        using (var httpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            (await httpClient.GetStringAsync(new Uri($"http://{http}/ping"))).Should().Be("OK");
        }

        using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            var connect = async () => await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, unusedPort)).WaitAsync(TimeSpan.FromSeconds(10));
            await connect.Should().ThrowAsync<System.Net.Sockets.SocketException>("nothing listens on the ASPNETCORE_URLS port");
        }

        await StopAsync(daemon);
        daemon.StdErr.Should().NotContain("Overriding").And.NotContain($":{unusedPort}")
            .And.NotContain("NoSuch.HostingStartup").And.NotContain("WARNING:").And.NotContain("ERROR:");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task QuietPings_MovesThePingLineToDebug(bool quiet, bool debug)
    {
        List<string> args = ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0"];
        if (quiet)
            args.Add("--quiet-pings");
        if (debug)
            args.Add("--log-level=debug");
        await using var daemon = DaemonProcess.Start([.. args]);
        var (tcp, _) = await DaemonProcess.WaitListeningAsync(daemon);
        await using (var client = await IdentifiedClientAsync(tcp))
        {
            (await client.CommandAsync("PING\n")).Should().Be("OK");

            // The REGISTER line is logged after the PING line: once it is there, the PING line would be too.
            (await client.CommandAsync("REGISTER marker\n")).Should().Be("OK");
            (await daemon.WaitForAsync(d => d.StdErr.Contains("key:marker", StringComparison.Ordinal), TimeSpan.FromSeconds(10))).Should().BeTrue();
            var ping = daemon.StdErr.Split('\n').Where(l => l.Contains($"CLIENT({client.LocalAddress}): pinged (last ping ", StringComparison.Ordinal)).ToArray();
            if (quiet && !debug)
                ping.Should().BeEmpty();
            else
                ping.Should().ContainSingle().Which.Should().Contain(quiet ? " DEBUG: CLIENT(" : " INFO: CLIENT(");
        }

        await StopAsync(daemon);
    }
}
