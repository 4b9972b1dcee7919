using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary><c>/nodes</c> (docs/protocol.md, "Producer, node and debug objects"): active client entries with their topic registrations and tombstones.</summary>
public sealed class NodesTests
{
    private readonly RegistryHarness _h = new();

    [Fact]
    public void T94_EmptyDb_HasNoNodes() => _h.Db.Nodes().Should().BeEmpty();

    [Fact]
    public void T35_IdentifiedPeerWithoutRegistrations_HasEmptyLists()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Db.AddRegistration(Registration.Topic("t"));

        var node = _h.Db.Nodes().Should().ContainSingle().Subject;
        node.Peer.Should().BeSameAs(p);
        node.Topics.Should().BeEmpty();
        node.Tombstones.Should().BeEmpty();
        _h.LookupIds("t").Should().BeEmpty();
    }

    [Fact]
    public void T96_TopicsAndTombstones_HaveEqualLength()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.2:1000", broadcastAddress: "nsqd2.example");
        _h.Register(a, "t1", "c");
        _h.Register(a, "t2");
        _h.Register(a, "t3", "c");
        _h.Register(b, "t2");
        _h.Db.Tombstone("t2", "nsqd2.example:4151");

        var nodes = _h.Db.Nodes();

        nodes.Should().HaveCount(2);
        nodes.Should().OnlyContain(n => n.Topics.Count == n.Tombstones.Count);
        _h.Node(a)!.Topics.Should().BeEquivalentTo(["t1", "t2", "t3"]);
        _h.Node(a)!.Tombstones.Should().OnlyContain(t => !t);
        _h.Node(b)!.Topics.Should().Equal("t2");
        _h.Node(b)!.Tombstones.Should().Equal(true);
    }

    [Fact]
    public void T97_TopicsCreatedOnlyOverHttp_DoNotCount()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Db.AddRegistration(Registration.Topic("http-only"));
        _h.Db.AddRegistration(Registration.Channel("http-only", "c"));
        _h.Register(p, "t", "c");

        _h.Node(p)!.Topics.Should().Equal("t");
    }

    [Fact]
    public void ChannelRegistrations_AreNotListedAsTopics()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Db.AddProducer(Registration.Channel("only-channel", "c"), p);

        _h.Node(p)!.Topics.Should().BeEmpty();
    }

    [Fact]
    public void T105_DeleteTopic_RemovesItFromAConnectedPeer()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        _h.Register(p, "u", "c");

        _h.Db.DeleteTopic("t");

        _h.Db.Topics().Should().Equal("u");
        _h.Db.Channels("t").Should().BeEmpty();
        _h.Db.Lookup("t").Should().BeNull();
        var node = _h.Node(p)!;
        node.Topics.Should().Equal("u");
        node.Tombstones.Should().Equal(false);
        _h.Db.Debug().Select(r => r.Name).Should().Equal("channel:u:c", "client::", "topic:u:");
    }

    [Fact]
    public void T106_RegisterAfterDeleteTopic_BringsItBack()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", "nsqd1.example:4151");
        _h.Db.DeleteTopic("t");

        _h.Register(p, "t");

        _h.Db.Topics().Should().Equal("t");
        _h.LookupIds("t").Should().Equal(p.Id);
        _h.TombstoneFlag(p, "t").Should().BeFalse();
    }

    [Fact]
    public void T107_DeleteOfAnUnknownTopic_IsANoOp()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        _h.Db.DeleteTopic("never");
        _h.Db.DeleteTopic("bad$$");

        _h.Db.Topics().Should().Equal("t");
    }

    [Fact]
    public void DeleteTopic_RemovesOrphanedChannelKeysToo()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "e#ephemeral", "ch");
        _h.Db.UnregisterTopic("e#ephemeral", p.Id);

        _h.Db.DeleteTopic("e#ephemeral");

        _h.Db.Channels("e#ephemeral").Should().BeEmpty();
        _h.Db.Debug().Select(r => r.Name).Should().Equal("client::");
    }

    [Fact]
    public void TombstonedNode_IsStillListedButInactiveNodeIsNot()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", "nsqd1.example:4151");

        _h.Node(p).Should().NotBeNull();

        _h.Clock.Advance(TimeSpan.FromSeconds(301));
        _h.Db.Nodes().Should().BeEmpty();
    }

    [Fact]
    public void Node_CarriesTheIdentifyFields()
    {
        var p = _h.Identify("10.0.0.1:1000", broadcastAddress: "b.example", tcpPort: 1, httpPort: 2);

        var peer = _h.Node(p)!.Peer;

        peer.RemoteAddress.Should().Be("10.0.0.1:1000");
        peer.BroadcastAddress.Should().Be("b.example");
        peer.Hostname.Should().Be("h1");
        peer.TcpPort.Should().Be(1);
        peer.HttpPort.Should().Be(2);
        peer.Version.Should().Be("1.3.0");
        peer.TopologyZone.Should().BeEmpty();
        peer.TopologyRegion.Should().BeEmpty();
    }
}
