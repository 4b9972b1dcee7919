using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>The built binary as an operator runs it: flags, usage, exit codes, log lines, signals (docs/protocol.md,
/// "Command line and config file" and "Logs").</summary>
public sealed partial class DaemonProcessTests
{
    private const string Loopback = "127.0.0.1:0";

    [Fact]
    public async Task T110_Version_PrintsOneLine_AndExitsZero_WithoutBinding()
    {
        var result = await DaemonProcess.RunAsync("--version", "--tcp-address=256.0.0.1:1");
        result.ExitCode.Should().Be(0);
        result.StdOut.Should().StartWith("nsqlookupd v1.3.0 (built w/");
        result.StdOut.TrimEnd('\n').Should().NotContain("\n");
        result.StdErr.Should().BeEmpty();
    }

    [Fact]
    public async Task T111_UnknownFlag_ExitsTwo()
    {
        var result = await DaemonProcess.RunAsync("--bogus");
        result.ExitCode.Should().Be(2);
        result.StdErr.Should().StartWith("flag provided but not defined: -bogus\nUsage of nsqlookupd:\n");
    }

    [Fact]
    public async Task T112_BadLogLevel_ExitsTwo()
    {
        var result = await DaemonProcess.RunAsync("--log-level=loud");
        result.ExitCode.Should().Be(2);
        result.StdErr.Should().Contain("invalid value \"loud\" for flag -log-level: invalid log level 'loud' (debug, info, warn, error, fatal)");
    }

    [Fact]
    public async Task Help_PrintsUsageToStderr_AndExitsZero()
    {
        var result = await DaemonProcess.RunAsync("-h");
        result.ExitCode.Should().Be(0);
        result.StdErr.Should().StartWith("Usage of nsqlookupd:\n  -broadcast-address string\n");
        result.StdErr.Should().Contain("  -tombstone-lifetime duration\n    \tduration of time a producer will remain tombstoned if registration remains (default 45s)\n");
    }

    [Theory]
    [InlineData("-tcp-address=127.0.0.1:0", "-http-address=127.0.0.1:0")]
    [InlineData("--tcp-address=127.0.0.1:0", "--http-address", "127.0.0.1:0", "--inactive-producer-timeout=1500ms")]
    [InlineData("--tcp-address", "127.0.0.1:0", "-http-address=127.0.0.1:0", "-inactive-producer-timeout=5m", "-verbose")]
    public async Task T113_GoFlagSyntaxForms_AreAccepted(params string[] args)
    {
        await using var daemon = DaemonProcess.Start(args);
        var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);
        tcp.Port.Should().BePositive();
        http.Port.Should().BePositive();
        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
    }

    [Fact]
    public async Task T114_BusyTcpPort_ExitsOne_WithTheFatalListenLine()
    {
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busy.Listen();
        var address = $"127.0.0.1:{((IPEndPoint)busy.LocalEndPoint!).Port}";

        var result = await DaemonProcess.RunAsync($"--tcp-address={address}", "--http-address=127.0.0.1:0");
        result.ExitCode.Should().Be(1);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex(@"^\[nsqlookupd\] .* INFO: nsqlookupd v1\.3\.0 \(built w/");
        var fatal = lines.Should().ContainSingle(l => l.Contains(" FATAL: ")).Subject;
        lines.Should().NotContain(l => l.Contains(" ERROR: "), "the failure is reported once, as the FATAL line");
        fatal.Should().Contain("failed to instantiate nsqlookupd").And.Contain($"listen ({address}) failed");
    }

    [Fact]
    public async Task BothPortsBusy_TheTcpAddressIsTheOneNamed_AsTcpBindsFirst()
    {
        using var busyTcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busyTcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busyTcp.Listen();
        using var busyHttp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busyHttp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busyHttp.Listen();
        var tcp = $"127.0.0.1:{((IPEndPoint)busyTcp.LocalEndPoint!).Port}";
        var http = $"127.0.0.1:{((IPEndPoint)busyHttp.LocalEndPoint!).Port}";

        var result = await DaemonProcess.RunAsync($"--tcp-address={tcp}", $"--http-address={http}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().Contain($"FATAL: failed to instantiate nsqlookupd - listen ({tcp}) failed").And.NotContain(http);
    }

    [Fact]
    public async Task BusyHttpPort_ExitsOne_NamingTheHttpAddress()
    {
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busy.Listen();
        var address = $"127.0.0.1:{((IPEndPoint)busy.LocalEndPoint!).Port}";

        var result = await DaemonProcess.RunAsync("--tcp-address=127.0.0.1:0", $"--http-address={address}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().Contain("FATAL: failed to instantiate nsqlookupd").And.Contain($"listen ({address}) failed");
    }

    [Fact]
    public async Task T118_T119_T120_LogFormat_ListenLines_AndSigtermShutdown()
    {
        await using var daemon = DaemonProcess.Start($"--tcp-address={Loopback}", $"--http-address={Loopback}");
        var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);
        await using var client = await TestClient.ConnectAsync(tcp);
        await client.SendAsync(TestClient.Magic);
        await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        (await client.ReadFrameAsync()).Should().StartWith("{");
        (await client.CommandAsync("REGISTER t\n")).Should().Be("OK");
        using (var httpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            (await httpClient.GetStringAsync($"http://127.0.0.1:{http.Port}/ping")).Should().Be("OK");
        }

        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await client.ReadToEndAsync()).Should().BeEmpty("the daemon closes connected clients on shutdown");
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);

        var lines = daemon.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().OnlyContain(l => LogLine().IsMatch(l));
        lines.Should().Contain(l => l.EndsWith($"INFO: TCP: listening on 127.0.0.1:{tcp.Port}", StringComparison.Ordinal));
        lines.Should().Contain(l => l.EndsWith($"INFO: HTTP: listening on 127.0.0.1:{http.Port}", StringComparison.Ordinal));
        lines.Should().Contain(l => l.EndsWith($"INFO: TCP: closing 127.0.0.1:{tcp.Port}", StringComparison.Ordinal));
        lines.Should().Contain(l => l.EndsWith($"INFO: HTTP: closing 127.0.0.1:{http.Port}", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains($"INFO: CLIENT({client.LocalAddress}): IDENTIFY Address:nsqd1.example TCP:4150 HTTP:4151 Version:1.3.0", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains($"INFO: DB: client({client.LocalAddress}) REGISTER category:topic key:t subkey:", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("INFO: 200 GET /ping (127.0.0.1:", StringComparison.Ordinal));
        daemon.StdOut.Should().BeEmpty();
    }

    [Fact]
    public async Task T120_Sigint_AlsoExitsZero()
    {
        await using var daemon = DaemonProcess.Start($"--tcp-address={Loopback}", $"--http-address={Loopback}");
        await DaemonProcess.WaitListeningAsync(daemon);
        DaemonProcess.Signal(daemon, DaemonProcess.SigInt);
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
    }

    [Fact]
    public async Task T118_LogPrefix_AndWarnLevel()
    {
        using var notify = new NotifySocket();
        await using var daemon = new ProcessRunner.Running(
            DaemonProcess.BinaryPath,
            [$"--tcp-address={Loopback}", $"--http-address={Loopback}", "--log-prefix=[x] ", "--log-level=warn"],
            environment: notify.Environment);
        await using var probe = DaemonProcess.Start($"--tcp-address={Loopback}", $"--http-address={Loopback}", "--log-prefix=[x] ");
        await DaemonProcess.WaitListeningAsync(probe);
        probe.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(l => l.StartsWith("[x] ", StringComparison.Ordinal));

        // At warn level nothing is printed on a clean start, not even the listening lines: wait until it reports
        // READY=1 (both ports accept, every startup line written), then stop it.
        (await notify.ReceiveAsync()).Should().Contain("READY=1");
        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        daemon.StdErr.Should().NotContain("INFO:");
        DaemonProcess.Signal(probe, DaemonProcess.SigTerm);
        (await probe.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
    }

    [GeneratedRegex(@"^\[nsqlookupd\] \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} (DEBUG|INFO|WARNING|ERROR|FATAL): ")]
    private static partial Regex LogLine();
}
