using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>The opt-in cleanup of keys left with no producer (Operations issue item 8; off by default).</summary>
public sealed class PruningTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    [Fact]
    public void KeysEmptyForTheGracePeriod_AreDeleted_AndOnlyThose()
    {
        var h = new RegistryHarness(inactiveProducerTimeout: TimeSpan.FromHours(1));
        var gone = h.Identify("127.0.0.1:1");
        var stays = h.Identify("127.0.0.1:2");
        h.Register(gone, "old", "c");
        h.Register(stays, "live", "c");
        h.Db.RemovePeer(gone.Id);

        h.Clock.Advance(Grace - TimeSpan.FromSeconds(1));
        h.Db.PruneEmptyKeys(Grace).Should().BeEmpty("the keys have been empty for less than the grace period");

        h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.Db.PruneEmptyKeys(Grace).Should().BeEquivalentTo([Registration.Topic("old"), Registration.Channel("old", "c")]);
        h.Db.Topics().Should().Equal("live");
        h.Db.Channels("old").Should().BeEmpty();
        h.Db.Lookup("old").Should().BeNull();
        h.Db.Lookup("live")!.Producers.Should().ContainSingle();
        h.Db.Nodes().Should().ContainSingle(n => n.Peer.Id == stays.Id);
    }

    [Fact]
    public void TheGracePeriod_CountsFromTheDetachWhenTheReleaseComesLater()
    {
        var h = new RegistryHarness(inactiveProducerTimeout: TimeSpan.FromHours(1));
        var detached = h.Identify("127.0.0.1:1");
        var later = h.Identify("127.0.0.1:2");
        h.Register(detached, "t");
        h.Register(later, "u");
        h.Register(detached, "u");
        var departure = h.Db.DetachPeer(detached.Id)!;

        h.Clock.Advance(TimeSpan.FromMinutes(3));
        h.Db.UnregisterTopic("u", later.Id); // u's last visible producer leaves now, after the detach
        h.Clock.Advance(TimeSpan.FromMinutes(4));
        h.Db.ReleasePeer(departure);

        h.Clock.Advance(Grace - TimeSpan.FromMinutes(7));
        h.Db.PruneEmptyKeys(Grace).Should().BeEquivalentTo([Registration.Topic("t")], "t has had no visible producer since the detach");
        h.Clock.Advance(TimeSpan.FromMinutes(3));
        h.Db.PruneEmptyKeys(Grace).Should().BeEquivalentTo([Registration.Topic("u")], "u since its later UNREGISTER");
    }

    [Fact]
    public void TheGraceClockRestartsWhenAKeyEmptiesAgain()
    {
        var h = new RegistryHarness(inactiveProducerTimeout: TimeSpan.FromHours(1));
        var a = h.Identify("127.0.0.1:1");
        h.Register(a, "t");
        h.Db.RemovePeer(a.Id);
        h.Clock.Advance(Grace - TimeSpan.FromMinutes(1));

        var b = h.Identify("127.0.0.1:2");
        h.Register(b, "t");
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        h.Db.RemovePeer(b.Id);
        h.Clock.Advance(TimeSpan.FromMinutes(5));

        h.Db.PruneEmptyKeys(Grace).Should().BeEmpty("t has been empty for 5 minutes only");
        h.Db.Topics().Should().Equal("t");
    }

    [Fact]
    public void HttpCreatedKeys_CountAsEmptyFromCreation_AndClientKeyIsNeverPruned()
    {
        var h = new RegistryHarness(inactiveProducerTimeout: TimeSpan.FromHours(1));
        var idle = h.Identify("127.0.0.1:1");
        h.Db.AddRegistration(Registration.Topic("pre"));
        h.Db.AddRegistration(Registration.Channel("pre", "pc"));
        h.Clock.Advance(Grace);
        h.Db.PruneEmptyKeys(Grace).Should().BeEquivalentTo([Registration.Topic("pre"), Registration.Channel("pre", "pc")]);
        h.Db.Nodes().Should().ContainSingle(n => n.Peer.Id == idle.Id, "an identified peer keeps its client:: entry");
    }

    [Fact]
    public void AnUnregisteredChannel_IsPrunedWhileItsTopicWithAProducerStays()
    {
        var h = new RegistryHarness(inactiveProducerTimeout: TimeSpan.FromHours(1));
        var a = h.Identify("127.0.0.1:1");
        h.Register(a, "t", "c");
        h.Db.UnregisterChannel("t", "c", a.Id);
        h.Clock.Advance(Grace);
        h.Db.PruneEmptyKeys(Grace).Should().Equal(Registration.Channel("t", "c"));
        h.Db.Lookup("t")!.Producers.Should().ContainSingle();
        h.Db.Channels("t").Should().BeEmpty();
    }
}
