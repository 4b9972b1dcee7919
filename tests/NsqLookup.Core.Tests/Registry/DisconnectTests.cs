using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>docs/protocol.md, "Registration model": a disconnect removes the peer from every key and never deletes a key; T60–T62.</summary>
public sealed class DisconnectTests
{
    private readonly RegistryHarness _h = new();

    [Fact]
    public void T60_AfterDisconnect_TopicStaysWithNoProducers()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        _h.Db.RemovePeer(p.Id).Should().BeEquivalentTo(
            [Registration.Client, Registration.Topic("t"), Registration.Channel("t", "c")]);

        var lookup = _h.Db.Lookup("t")!;
        lookup.Channels.Should().Equal("c");
        lookup.Producers.Should().BeEmpty();
        _h.Db.Topics().Should().Equal("t");
    }

    [Fact]
    public void T61_AfterDisconnect_NodesAndDebugForgetThePeer()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.2:1000");
        _h.Register(a, "t", "c");
        _h.Register(b, "t", "c");

        _h.Db.RemovePeer(a.Id);

        _h.Db.Nodes().Select(n => n.Peer.Id).Should().Equal(b.Id);
        _h.Db.Debug().SelectMany(r => r.Entries).Should().NotContain(e => e.Peer.Id == a.Id);
        _h.Db.Debug().Select(r => r.Name).Should().Equal("channel:t:c", "client::", "topic:t:");
        _h.LookupIds("t").Should().Equal(b.Id);
    }

    [Fact]
    public void T62_EphemeralKeysSurviveDisconnect()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "e#ephemeral", "c#ephemeral");
        _h.Register(p, "t", "d#ephemeral");

        _h.Db.RemovePeer(p.Id);

        _h.Db.Topics().Should().BeEquivalentTo(["e#ephemeral", "t"]);
        _h.Db.Channels("e#ephemeral").Should().Equal("c#ephemeral");
        _h.Db.Channels("t").Should().Equal("d#ephemeral");
        _h.Db.Debug().Should().BeEmpty();
        _h.Db.Nodes().Should().BeEmpty();
    }

    [Fact]
    public void ADetachedPeer_IsGoneFromEveryAnswerBeforeItsEntriesAreReleased()
    {
        var a = _h.Identify("10.0.0.1:1000", broadcastAddress: "a");
        var b = _h.Identify("10.0.0.2:1000", broadcastAddress: "b");
        _h.Register(a, "t", "c");
        _h.Register(a, "u");
        _h.Register(b, "t", "c");
        _h.Register(a, "e#ephemeral", "x#ephemeral");

        var departure = _h.Db.DetachPeer(a.Id)!;

        _h.LookupIds("t").Should().Equal(b.Id);
        _h.LookupIds("u").Should().BeEmpty();
        _h.Db.Nodes().Select(n => n.Peer.Id).Should().Equal(b.Id);
        _h.Db.Debug().SelectMany(r => r.Entries).Should().OnlyContain(e => e.Peer.Id == b.Id);
        _h.Db.Debug().Select(r => r.Name).Should().Equal("channel:t:c", "client::", "topic:t:");
        _h.Db.Tombstone("u", "a:4151").Should().Be(0);
        _h.Db.Counts().Should().Be(new RegistryCounts(Producers: 1, Topics: 3, Channels: 2, ClientEntries: 1, TopicEntries: 1, ChannelEntries: 1));

        // The detached peer's lingering entry does not keep an #ephemeral key alive for others.
        var c = _h.Identify("10.0.0.3:1000");
        _h.Register(c, "e#ephemeral", "x#ephemeral");
        _h.Db.UnregisterChannel("e#ephemeral", "x#ephemeral", c.Id).Should().BeTrue();
        _h.Db.Channels("e#ephemeral").Should().BeEmpty();

        _h.Db.ReleasePeer(departure).Should().BeEquivalentTo([
            Registration.Client, Registration.Topic("t"), Registration.Channel("t", "c"), Registration.Topic("u"),
            Registration.Topic("e#ephemeral")]);
        _h.Db.Counts().Should().Be(new RegistryCounts(Producers: 2, Topics: 3, Channels: 1, ClientEntries: 2, TopicEntries: 2, ChannelEntries: 1));
        _h.LookupIds("t").Should().Equal(b.Id);
    }

    [Fact]
    public void ANewConnection_MayTakeTheIdOfOneStillBeingReleased()
    {
        var old = _h.Identify("10.0.0.1:1000");
        _h.Register(old, "t", "c");
        var departure = _h.Db.DetachPeer(old.Id)!;

        var again = _h.Identify("10.0.0.1:1000", broadcastAddress: "again");
        _h.Register(again, "t");
        _h.Db.ReleasePeer(departure).Should().HaveCount(3);

        _h.Db.Lookup("t")!.Producers.Should().ContainSingle().Which.Should().BeSameAs(again);
        _h.Db.Nodes().Should().ContainSingle().Which.Peer.Should().BeSameAs(again);
        _h.Db.Counts().Producers.Should().Be(1);
        _h.Db.RemovePeer(again.Id).Should().BeEquivalentTo([Registration.Client, Registration.Topic("t")]);
    }

    [Fact]
    public void RemovePeer_OfAnUnknownOrRemovedPeerReturnsNothing()
    {
        var p = _h.Identify("10.0.0.1:1000");

        _h.Db.RemovePeer("10.9.9.9:1").Should().BeEmpty();
        _h.Db.RemovePeer(p.Id).Should().Equal(Registration.Client);
        _h.Db.RemovePeer(p.Id).Should().BeEmpty();
    }

    [Fact]
    public void RemovePeer_SkipsKeysAlreadyDeletedOrUnregistered()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        _h.Register(p, "u");
        _h.Db.DeleteTopic("t");
        _h.Db.UnregisterTopic("u", p.Id);

        _h.Db.RemovePeer(p.Id).Should().Equal(Registration.Client);
    }

    [Fact]
    public void ReconnectFromTheSameAddress_IsAFreshUntombstonedPeer()
    {
        var old = _h.Identify("10.0.0.1:1000");
        _h.Register(old, "t");
        _h.Db.Tombstone("t", "nsqd1.example:4151");
        _h.Db.RemovePeer(old.Id);

        var again = _h.Identify("10.0.0.1:1000");
        _h.Register(again, "t");

        _h.LookupIds("t").Should().Equal(again.Id);
        _h.TombstoneFlag(again, "t").Should().BeFalse();
    }
}
