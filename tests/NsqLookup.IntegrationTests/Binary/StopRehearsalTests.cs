using System.Text.RegularExpressions;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>
/// The JIT build rehearses its stop path on a throwaway loopback instance shortly after the start
/// (NsqLookupApp.Rehearsal.cs), so SIGTERM finds the hosting stack's and Kestrel's stop code already compiled. These
/// run the built JIT binary: what the runtime compiles after the signal (DOTNET_JitStdOutFile lists every method it
/// compiles), and that the throwaway instance leaves no trace in the daemon's answers, metrics, logs or systemd.
/// </summary>
public sealed partial class StopRehearsalTests
{
    private const string Rehearsed = "DEBUG: JIT: stop path rehearsed on a throwaway loopback instance in ";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // The hosting stack's stop path: the host's and Kestrel's StopAsync, and the transports' unbinding.
    private static readonly string[] StopPath =
    [
        "Microsoft.Extensions.Hosting.Internal.Host+<StopAsync>",
        "Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerImpl+<StopAsync>",
        "TransportManager+<StopTransportsAsync>",
        "TransportManager+ActiveTransport+<UnbindAsync>",
    ];

    [Fact]
    public async Task AtSigterm_TheHostsAndKestrelsStopCode_IsAlreadyCompiled()
    {
        var jitLog = Path.Combine(Path.GetTempPath(), $"nsqlookupd-jit-{Guid.NewGuid():N}.txt");
        try
        {
            await using var daemon = StartListingCompiledMethods(jitLog, "debug");
            var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
            (await daemon.WaitForAsync(d => d.StdErr.Contains(Rehearsed, StringComparison.Ordinal), Timeout))
                .Should().BeTrue(daemon.StdErr);
            var rehearsed = RehearsedMethods().Match(daemon.StdErr);
            rehearsed.Success.Should().BeTrue(daemon.StdErr);
            int.Parse(rehearsed.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(100);

            // A marker in the list (the runtime writes it through a buffer, so a copy taken now could miss its tail):
            // /info's handler, which nothing had called, is compiled now, after the rehearsal and before the signal.
            using (var client = new HttpClient { Timeout = Timeout })
            {
                (await client.GetStringAsync($"http://127.0.0.1:{http.Port}/info")).Should().Contain("\"version\"");
            }

            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            (await daemon.WaitForExitAsync(Timeout)).Should().Be(0, daemon.StdErr);

            var compiled = CompiledMethods(jitLog);
            var marker = compiled.FindIndex(m => m.Contains("DoInfo", StringComparison.Ordinal));
            marker.Should().BePositive(string.Join('\n', compiled.TakeLast(50)));

            // The host's, the web host's and Kestrel's StopAsync state machines were compiled by the rehearsal, before
            // the marker. Without it they and about 170 other methods were compiled after the signal.
            compiled.Take(marker).Should().Contain(m => m.Contains("Microsoft.Extensions.Hosting.Internal.Host+<StopAsync>", StringComparison.Ordinal));
            var afterMarker = compiled.Skip(marker).ToList();
            // (A BackgroundService's StopAsync may still need its box's resumption compiled at the signal: in the
            // rehearsal its wait can complete synchronously.)
            afterMarker.Should().NotContain(m => StopPath.Any(s => m.Contains(s, StringComparison.Ordinal)));
            afterMarker.Count.Should().BeLessThan(80, string.Join('\n', afterMarker));
        }
        finally
        {
            File.Delete(jitLog);
        }
    }

    [Fact]
    public async Task AtWarnLevel_TheExitsErrorLines_AreWrittenByCodeTheRehearsalCompiled()
    {
        // At --log-level=warn the daemon logs nothing until the exit, which prints an ERROR line for each producer
        // still connected. The rehearsal logs in the daemon's format (to nowhere), so that code is compiled already.
        var jitLog = Path.Combine(Path.GetTempPath(), $"nsqlookupd-jit-{Guid.NewGuid():N}.txt");
        try
        {
            await using var daemon = StartListingCompiledMethods(jitLog, "warn");

            // No log line says when the rehearsal is done at this level: it starts 0.3 s after the start and takes
            // about as long; the list shows its host's StopAsync once the runtime has flushed it (or after 10 s).
            var (tcp, http) = await ListeningAsync(daemon.Process.Id);
            for (var waited = 0; waited < 100 && !FileHas(jitLog, "Microsoft.Extensions.Hosting.Internal.Host+<StopAsync>"); waited++)
            {
                await Task.Delay(100);
            }

            await using var producer = await TestClient.ConnectAsync(tcp);
            await producer.SendAsync(TestClient.Magic);
            await producer.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
            _ = await producer.ReadFrameAsync();
            (await producer.CommandAsync("REGISTER held c\n")).Should().Be("OK");
            using (var client = new HttpClient { Timeout = Timeout })
            {
                (await client.GetStringAsync($"http://127.0.0.1:{http.Port}/info")).Should().Contain("\"version\"");
            }

            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            (await daemon.WaitForExitAsync(Timeout)).Should().Be(0, daemon.StdErr);
            daemon.StdErr.Should().Contain("ERROR: client(").And.Contain("use of closed network connection");

            var compiled = CompiledMethods(jitLog);
            var marker = compiled.FindIndex(m => m.Contains("DoInfo", StringComparison.Ordinal));
            marker.Should().BePositive();
            compiled.Take(marker).Should().Contain(m => m.Contains("Microsoft.Extensions.Hosting.Internal.Host+<StopAsync>", StringComparison.Ordinal));

            // (The host's own lifetime lines go through FormattedLogValues, which the rehearsal's silent lifetime
            // never logs; the daemon's provider drops them.)
            compiled.Skip(marker).Should().NotContain(m =>
                m.Contains("JIT compiled NsqLookup.Logging.", StringComparison.Ordinal) && !m.Contains("FormattedLogValues", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(jitLog);
        }
    }

    [Fact]
    public async Task TheThrowawayInstance_LeavesNoTraceInTheDaemon()
    {
        await using var daemon = DaemonProcess.Start("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--log-level=debug");
        var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
        (await daemon.WaitForAsync(d => d.StdErr.Contains(Rehearsed, StringComparison.Ordinal), Timeout)).Should().BeTrue(daemon.StdErr);

        using var client = new HttpClient { Timeout = Timeout };
        var baseUri = $"http://127.0.0.1:{http.Port}";
        (await client.GetStringAsync($"{baseUri}/topics")).Should().Be("""{"topics":[]}""");
        (await client.GetStringAsync($"{baseUri}/nodes")).Should().Be("""{"producers":[]}""");
        var metrics = await client.GetStringAsync($"{baseUri}/metrics");
        metrics.Should().Contain("\nnsqlookupd_tcp_connections_total 0\n") // counters with known labels start at 0
            .And.Contain("\nnsqlookupd_commands_total{command=\"IDENTIFY\"} 0\n").And.Contain("\nnsqlookupd_commands_total{command=\"REGISTER\"} 0\n");
        metrics.Should().Contain("nsqlookupd_topics 0");

        // Its listeners, its producer and its requests logged nothing: one listening line each, no client lines.
        daemon.StdErr.Split("TCP: listening on").Length.Should().Be(2, daemon.StdErr);
        daemon.StdErr.Split("HTTP: listening on").Length.Should().Be(2, daemon.StdErr);
        daemon.StdErr.Should().NotContain("CLIENT(").And.NotContain("rehearsal ");

        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await daemon.WaitForExitAsync(Timeout)).Should().Be(0, daemon.StdErr);
        daemon.StdErr.Split("TCP: closing").Length.Should().Be(2, daemon.StdErr);
    }

    [Fact]
    public async Task TheThrowawayInstance_NeverTalksToSystemd()
    {
        using var notify = new NotifySocket();
        await using var daemon = new ProcessRunner.Running(
            DaemonProcess.BinaryPath,
            ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--log-level=debug"],
            environment: notify.Environment);
        (await daemon.WaitForAsync(d => d.StdErr.Contains(Rehearsed, StringComparison.Ordinal), Timeout)).Should().BeTrue(daemon.StdErr);
        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await daemon.WaitForExitAsync(Timeout)).Should().Be(0, daemon.StdErr);

        // The daemon's own READY=1 and STOPPING=1, and nothing from the rehearsal between or after them.
        var messages = new List<string>();
        while (notify.Available > 0)
        {
            messages.Add(await notify.ReceiveAsync());
        }

        messages.Should().HaveCount(2, string.Join(" | ", messages));
        messages[0].Should().Contain("READY=1");
        messages[1].Should().Contain("STOPPING=1");
    }

    private static bool FileHas(string path, string text)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Contains(text, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    // The bound ports of a daemon that logs no listening line (--log-level=warn): once it listens on exactly two ports
    // (its own; the rehearsal's two more come and go), the one that answers HTTP is the HTTP port.
    private static async Task<(System.Net.IPEndPoint Tcp, System.Net.IPEndPoint Http)> ListeningAsync(int pid)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var ports = ProcessResources.ListeningPorts(pid);
            if (ports.Count == 2)
            {
                var first = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, ports[0]);
                var second = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, ports[1]);
                await using var probe = await TestClient.ConnectAsync(first);
                await probe.SendAsync("GET /ping HTTP/1.0\r\n\r\n");
                var answer = System.Text.Encoding.ASCII.GetString(await probe.ReadToEndAsync());
                return answer.StartsWith("HTTP/", StringComparison.Ordinal) ? (second, first) : (first, second);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the daemon did not listen on two ports");
    }

    // DOTNET_JitStdOutFile with DOTNET_JitDisasmSummary=1 makes the runtime write one "N: JIT compiled <method> [tier,
    // sizes]" line per method it compiles, in order.
    private static ProcessRunner.Running StartListingCompiledMethods(string jitLog, string logLevel) => new(
        DaemonProcess.BinaryPath,
        ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", $"--log-level={logLevel}"],
        environment: new Dictionary<string, string>
        {
            ["DOTNET_JitStdOutFile"] = jitLog,
            ["DOTNET_JitDisasmSummary"] = "1",
        });

    private static List<string> CompiledMethods(string jitLog) =>
        File.ReadAllLines(jitLog).Where(l => l.Contains("JIT compiled ", StringComparison.Ordinal)).ToList();

    [GeneratedRegex(@"rehearsed on a throwaway loopback instance in [0-9.]+ ms \((?<n>[0-9]+) methods compiled\)")]
    private static partial Regex RehearsedMethods();
}
