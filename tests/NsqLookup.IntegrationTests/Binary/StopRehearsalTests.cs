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

    // The hosting stack's stop path: the host's, the web host's and Kestrel's StopAsync, and the transports' unbinding.
    private static readonly string[] StopPath =
    [
        "Microsoft.Extensions.Hosting.Internal.Host+<StopAsync>",
        "Microsoft.AspNetCore.Hosting.GenericWebHostService+<StopAsync>",
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
            await using var daemon = new ProcessRunner.Running(
                DaemonProcess.BinaryPath,
                ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--log-level=debug"],
                environment: new Dictionary<string, string>
                {
                    ["DOTNET_JitStdOutFile"] = jitLog,
                    ["DOTNET_JitDisasmSummary"] = "1",
                });
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

            var compiled = File.ReadAllLines(jitLog).Where(l => l.Contains("JIT compiled ", StringComparison.Ordinal)).ToList();
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
        metrics.Should().NotContain("nsqlookupd_tcp_connections_total").And.NotContain("nsqlookupd_commands_total");
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

    // DOTNET_JitStdOutFile with DOTNET_JitDisasmSummary=1 writes one "N: JIT compiled <method> [tier, sizes]" line per method.
    [GeneratedRegex(@"rehearsed on a throwaway loopback instance in [0-9.]+ ms \((?<n>[0-9]+) methods compiled\)")]
    private static partial Regex RehearsedMethods();
}
