using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>
/// The daemon with its stderr in a pipe nobody reads (a hung log collector): TCP and HTTP keep answering within nsqd's
/// deadline, the lines beyond the log queue are dropped and counted, and once the pipe drains one line says how many
/// (docs/protocol.md, "Logs"). The Go original freezes whole under the same test.
/// </summary>
public sealed partial class BlockedLogOutputTests
{
    // nsqd gives lookupd one second per command (its lookup peer's read deadline).
    private static readonly TimeSpan NsqdDeadline = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AStderrNobodyReads_NeverDelaysTcpOrHttpAndTheDropIsReportedOnceItDrains()
    {
        using var daemon = StartWithUnreadStderr();
        try
        {
            var (tcp, http) = await ReadUntilListeningAsync(daemon);

            // 3,000 REGISTERs of a new topic and channel log 6,000 lines (over 500 KB): the 64 KiB pipe fills many times over.
            await RegisterManyAsync(tcp, 3000);

            using var httpClient = new HttpClient { Timeout = NsqdDeadline };
            (await httpClient.GetStringAsync(new Uri($"http://{http}/ping"))).Should().Be("OK");
            await using (var fresh = await TestClient.ConnectAsync(tcp))
            {
                await fresh.SendAsync(TestClient.Magic);
                (await fresh.CommandAsync("PING\n").WaitAsync(NsqdDeadline)).Should().Be("OK");
            }

            // Now drain the pipe: the queued lines come out whole, then the notice.
            var drained = new List<string>();
            string? notice = null;
            using (var deadline = new CancellationTokenSource(Timeout))
            {
                while (notice is null)
                {
                    var line = await daemon.StandardError.ReadLineAsync(deadline.Token);
                    line.Should().NotBeNull("the daemon is still running");
                    if (line!.Contains(" WARNING: LOG: ", StringComparison.Ordinal))
                        notice = line;
                    else
                        drained.Add(line);
                }
            }

            drained.Should().NotBeEmpty().And.OnlyContain(l => GoLine().IsMatch(l), "no line is cut by the drop");
            var reported = long.Parse(DropNotice().Match(notice).Groups[1].Value, CultureInfo.InvariantCulture);
            reported.Should().BeGreaterThan(1000);

            var metrics = await httpClient.GetStringAsync(new Uri($"http://{http}/metrics"));
            var counted = DroppedMetric().Match(metrics);
            counted.Success.Should().BeTrue(metrics);
            long.Parse(counted.Groups[1].Value, CultureInfo.InvariantCulture).Should().Be(reported, "one gap, one notice");

            // The exit's lines are written as before once the output reads again.
            var rest = daemon.StandardError.ReadToEndAsync();
            DaemonProcess.Signal(daemon.Id, DaemonProcess.SigTerm);
            await daemon.WaitForExitAsync().WaitAsync(Timeout);
            daemon.ExitCode.Should().Be(0);
            (await rest.WaitAsync(Timeout)).Should().Contain("INFO: TCP: closing " + tcp);
        }
        finally
        {
            Stop(daemon);
        }
    }

    [Fact]
    public async Task AStderrNobodyReads_DoesNotHoldTheExit()
    {
        using var daemon = StartWithUnreadStderr();
        try
        {
            var (tcp, _) = await ReadUntilListeningAsync(daemon);
            await RegisterManyAsync(tcp, 1500);

            // The exit writes what it can of the queue, for a bounded time, and exits normally.
            DaemonProcess.Signal(daemon.Id, DaemonProcess.SigTerm);
            await daemon.WaitForExitAsync().WaitAsync(Timeout);
            daemon.ExitCode.Should().Be(0);
        }
        finally
        {
            Stop(daemon);
        }
    }

    // stderr is a pipe that this test reads only when it chooses to; stdout is read (the daemon writes nothing there).
    private static Process StartWithUnreadStderr()
    {
        var info = new ProcessStartInfo(DaemonProcess.BinaryPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--tcp-address=127.0.0.1:0");
        info.ArgumentList.Add("--http-address=127.0.0.1:0");
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the daemon");
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        return process;
    }

    // Reads stderr up to both "listening on" lines, then stops reading it.
    private static async Task<(IPEndPoint Tcp, IPEndPoint Http)> ReadUntilListeningAsync(Process daemon)
    {
        IPEndPoint? tcp = null, http = null;
        using var deadline = new CancellationTokenSource(Timeout);
        while (tcp is null || http is null)
        {
            var line = await daemon.StandardError.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("the daemon exited");
            if (Listening().Match(line) is { Success: true } m)
            {
                var endPoint = new IPEndPoint(IPAddress.Loopback, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
                if (m.Groups[1].Value == "TCP")
                    tcp = endPoint;
                else
                    http = endPoint;
            }
        }

        return (tcp, http);
    }

    // A producer as nsqd is one: each command must be answered within nsqd's deadline.
    private static async Task RegisterManyAsync(IPEndPoint tcp, int count)
    {
        await using var producer = await TestClient.ConnectAsync(tcp);
        await producer.SendAsync(TestClient.Magic);
        await producer.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        await producer.ReadFrameAsync().WaitAsync(NsqdDeadline);
        for (var i = 0; i < count; i++)
        {
            var command = string.Create(CultureInfo.InvariantCulture, $"REGISTER blocked-log-{i} channel-{i}\n");
            (await producer.CommandAsync(command).WaitAsync(NsqdDeadline)).Should().Be("OK", $"REGISTER {i}");
        }
    }

    private static void Stop(Process daemon)
    {
        if (!daemon.HasExited)
        {
            daemon.Kill();
            daemon.WaitForExit(10_000);
        }
    }

    [GeneratedRegex(@"(TCP|HTTP): listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^\[nsqlookupd\] \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} (DEBUG|INFO|WARNING|ERROR|FATAL): ")]
    private static partial Regex GoLine();

    [GeneratedRegex(@"WARNING: LOG: (\d+) lines dropped, the log output was blocked$")]
    private static partial Regex DropNotice();

    [GeneratedRegex(@"(?m)^nsqlookupd_log_lines_dropped_total (\d+)$")]
    private static partial Regex DroppedMetric();
}
