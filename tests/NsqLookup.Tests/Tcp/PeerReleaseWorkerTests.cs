using NsqLookup.Core.Tests.Registry;
using NsqLookup.Registry;
using NsqLookup.Tcp;

namespace NsqLookup.Tests.Tcp;

/// <summary>The daemon's release worker: a disconnect detaches at once and releases off the caller's thread; after
/// <see cref="PeerReleaseWorker.BeginExit"/> a disconnect detaches its peer and reports what it held, but leaves its
/// entries unreleased (the process is going away), so exit costs nothing per entry.</summary>
public sealed class PeerReleaseWorkerTests : IDisposable
{
    private readonly RegistryHarness _h = new();
    private readonly PeerReleaseWorker _worker;

    public PeerReleaseWorkerTests() => _worker = new PeerReleaseWorker(_h.Db);

    public void Dispose() => _worker.Dispose();

    [Fact]
    public async Task RemovePeerAsync_DetachesBeforeItReturnsAndReleasesOffTheCallersThread()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        var released = _worker.RemovePeerAsync(p.Id);
        _h.Db.Nodes().Should().BeEmpty();
        _h.LookupIds("t").Should().BeEmpty();

        (await released.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeEquivalentTo(
            [Registration.Client, Registration.Topic("t"), Registration.Channel("t", "c")]);
        _h.Db.Counts().Should().Be(new RegistryCounts(0, 1, 1, 0, 0, 0));
        (await _worker.RemovePeerAsync(p.Id).WaitAsync(TimeSpan.FromSeconds(10))).Should().BeEmpty();
        _worker.IsExiting.Should().BeFalse();
    }

    [Fact]
    public async Task AfterBeginExit_ADisconnect_ReportsItsRegistrationsAtOnce_WithoutReleasingThem()
    {
        var p = _h.Identify("10.0.0.1:1000");
        var q = _h.Identify("10.0.0.2:1000");
        _h.Register(p, "t", "c");
        _h.Register(p, "t", "d");
        _h.Register(p, "u");
        _h.Register(q, "t", "c");

        _worker.BeginExit(listRegistrations: true);
        var removed = _worker.RemovePeerAsync(p.Id);

        removed.IsCompletedSuccessfully.Should().BeTrue("no release thread is involved");
        (await removed).Should().Equal(
            Registration.Client, Registration.Channel("t", "c"), Registration.Channel("t", "d"), Registration.Topic("t"),
            Registration.Topic("u"));
        Unreleased(_h).Should().Equal(["t", "u"], "p's entries stay (u's only producer is p): the process is exiting");
        _h.LookupIds("t").Should().Equal(q.Id);
        _h.LookupIds("u").Should().BeEmpty();
        _h.Db.Nodes().Select(n => n.Peer.Id).Should().Equal(q.Id);
        _h.Db.Counts().Producers.Should().Be(1);
    }

    [Fact]
    public async Task AfterBeginExitWithoutLists_ADisconnect_ReportsNothing_AndStillLeavesEveryAnswer()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        _worker.BeginExit(listRegistrations: false);
        var removed = _worker.RemovePeerAsync(p.Id);

        removed.IsCompletedSuccessfully.Should().BeTrue();
        (await removed).Should().BeEmpty();
        _worker.IsExiting.Should().BeTrue();
        Unreleased(_h).Should().Equal("t");
        _h.LookupIds("t").Should().BeEmpty();
        _h.Db.Nodes().Should().BeEmpty();
    }

    [Fact]
    public async Task BeforeBeginExit_ADisconnect_IsReleasedAsBefore()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        (await _worker.RemovePeerAsync(p.Id).WaitAsync(TimeSpan.FromSeconds(10)))
            .Should().BeEquivalentTo([Registration.Client, Registration.Topic("t")]);
        Unreleased(_h).Should().BeEmpty();
        _worker.IsExiting.Should().BeFalse();
    }

    /// <summary>The worker is on a large peer when exit begins: it stops at its next lock hold instead of walking the
    /// peer's remaining entries, which stay, and the departure still reports every registration, in the order a full
    /// release gives.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExitDuringARelease_StopsAtTheNextHold_AndStillReportsEveryRegistration(bool listRegistrations)
    {
        var full = new RegistryHarness();
        using var fullWorker = new PeerReleaseWorker(full.Db);
        var expected = Departing(full, out var fullDeparture);
        var released = fullWorker.Release(fullDeparture); // before exit: every entry released
        Unreleased(full).Should().BeEmpty();
        fullDeparture.IsReleased.Should().BeTrue();

        Departing(_h, out var departure);
        _worker.BeginExit(listRegistrations);
        var reported = _worker.Release(departure);

        reported.Should().Equal(listRegistrations ? released : [Registration.Client]);
        released.Should().HaveCount(expected);
        departure.IsReleased.Should().BeFalse();
        Unreleased(_h).Should().HaveCount(100, "nothing but client:: was released: the process is exiting");
        _h.LookupIds("t0").Should().BeEmpty();
    }

    /// <summary>Topics that still hold an entry (the pruning of empty keys spares them), after pruning the rest.</summary>
    private static IReadOnlyList<string> Unreleased(RegistryHarness h)
    {
        h.Db.PruneEmptyKeys(TimeSpan.Zero);
        return h.Db.Topics();
    }

    // One peer on 100 topics of 2 channels each (more topics than one lock hold takes), detached.
    private static int Departing(RegistryHarness h, out PeerDeparture departure)
    {
        var p = h.Identify("10.0.0.1:1000");
        for (var t = 0; t < 100; t++)
        {
            h.Register(p, "t" + t, "a");
            h.Register(p, "t" + t, "b");
        }

        departure = h.Db.DetachPeer(p.Id)!;
        return 1 + (100 * 3);
    }
}
