using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>Process exit: disconnects after <see cref="RegistrationDB.BeginExit"/> detach their peer and report what it
/// held, but leave its entries unreleased (the process is going away), so exit costs nothing per entry.</summary>
public sealed class ExitTests
{
    private readonly RegistryHarness _h = new();

    [Fact]
    public async Task AfterBeginExit_ADisconnect_ReportsItsRegistrationsAtOnce_WithoutReleasingThem()
    {
        var p = _h.Identify("10.0.0.1:1000");
        var q = _h.Identify("10.0.0.2:1000");
        _h.Register(p, "t", "c");
        _h.Register(p, "t", "d");
        _h.Register(p, "u");
        _h.Register(q, "t", "c");

        _h.Db.BeginExit(listRegistrations: true);
        var removed = _h.Db.RemovePeerAsync(p.Id);

        removed.IsCompletedSuccessfully.Should().BeTrue("no release worker is involved");
        (await removed).Should().Equal(
            Registration.Client, Registration.Channel("t", "c"), Registration.Channel("t", "d"), Registration.Topic("t"),
            Registration.Topic("u"));
        _h.Db.DetachedPeers.Should().Be(1, "its entries stay: the process is exiting");
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

        _h.Db.BeginExit(listRegistrations: false);
        var removed = _h.Db.RemovePeerAsync(p.Id);

        removed.IsCompletedSuccessfully.Should().BeTrue();
        (await removed).Should().BeEmpty();
        _h.Db.IsExiting.Should().BeTrue();
        _h.Db.DetachedPeers.Should().Be(1);
        _h.LookupIds("t").Should().BeEmpty();
        _h.Db.Nodes().Should().BeEmpty();
    }

    [Fact]
    public async Task BeforeBeginExit_ADisconnect_IsReleasedAsBefore()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        (await _h.Db.RemovePeerAsync(p.Id).WaitAsync(TimeSpan.FromSeconds(10)))
            .Should().BeEquivalentTo([Registration.Client, Registration.Topic("t")]);
        _h.Db.DetachedPeers.Should().Be(0);
        _h.Db.IsExiting.Should().BeFalse();
    }

    /// <summary>The release worker is on a large peer when exit begins: it stops at its next lock hold instead of
    /// walking the peer's remaining entries, which stay, and the departure still reports every registration, in the
    /// order a full release gives.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExitDuringARelease_StopsAtTheNextHold_AndStillReportsEveryRegistration(bool listRegistrations)
    {
        var full = new RegistryHarness();
        var expected = Departing(full, out var fullDeparture);
        var released = full.Db.ReleasePeer(fullDeparture); // before exit: every entry released
        full.Db.DetachedPeers.Should().Be(0);

        Departing(_h, out var departure);
        _h.Db.BeginExit(listRegistrations);
        var reported = _h.Db.ReleasePeer(departure);

        reported.Should().Equal(listRegistrations ? released : [Registration.Client]);
        released.Should().HaveCount(expected);
        _h.Db.DetachedPeers.Should().Be(1, "its entries stay: the process is exiting");
        departure.Released.Task.IsCompletedSuccessfully.Should().BeTrue();
        _h.LookupIds("t0").Should().BeEmpty();
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
