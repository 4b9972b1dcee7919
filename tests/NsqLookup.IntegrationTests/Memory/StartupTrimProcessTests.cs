using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Memory;

/// <summary>The daemon's own process gives its startup garbage back: the quiet-time trimmer compacts once at its first
/// sample, a second after the start (Program sets <c>TrimAfterStart</c>; in-process hosts, as in the other tests, do not).</summary>
public sealed class StartupTrimProcessTests
{
    [Fact]
    public async Task TheBinary_CompactsTheHeapOnce_ASecondAfterTheStart()
    {
        await using var daemon = DaemonProcess.Start("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--log-level=debug");
        await DaemonProcess.WaitListeningAsync(daemon);

        await Eventually.TrueAsync(
            () => Task.FromResult(daemon.StdErr.Contains("DEBUG: GC: heap compacted", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
        // An absence over time is the behaviour: the trimmer samples once a second, and two more quiet seconds
        // (a real process, so no fake clock) must pass without a second compaction. Nothing signals a non-event.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        daemon.StdErr.Split("GC: heap compacted").Length.Should().Be(2, "once, not at every quiet second");

        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0, daemon.StdErr);
    }
}
