using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>A kept <c>/nodes</c> row (<see cref="NodeRow.IsKept"/>) is what the HTTP side attaches its encoding to: the
/// registry must hand out a new instance with every change of the row's content, and the same one otherwise.</summary>
public sealed class NodeRowTests
{
    private readonly RegistryHarness _h = new();

    [Fact]
    public void TheRowInstance_StaysAcrossPollsAndChangesWithThePeersTopicEntriesOnly()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t1");
        var r1 = _h.Node(p)!;
        r1.IsKept.Should().BeTrue();
        _h.Node(p).Should().BeSameAs(r1);

        _h.Db.AddProducer(Registration.Channel("t1", "c"), p);
        _h.Db.UnregisterChannel("t1", "c", p.Id);
        _h.Node(p).Should().BeSameAs(r1, "channel entries are not in the row");

        _h.Register(p, "t2");
        var r2 = _h.Node(p)!;
        r2.Should().NotBeSameAs(r1);
        r2.Topics.Should().Equal("t1", "t2");
        r1.Topics.Should().Equal(["t1"], "a row handed out never changes");

        _h.Db.UnregisterTopic("t2", p.Id);
        var r3 = _h.Node(p)!;
        r3.Should().NotBeSameAs(r2).And.NotBeSameAs(r1);

        _h.Db.DeleteTopic("t1");
        _h.Node(p).Should().NotBeSameAs(r3);
        _h.Node(p)!.Topics.Should().BeEmpty();
    }

    [Fact]
    public void ARowWithATombstone_IsBuiltPerPollAndNeverKept()
    {
        var p = _h.Identify("10.0.0.1:1000");
        var q = _h.Identify("10.0.0.2:1000", broadcastAddress: "nsqd2.example");
        _h.Register(p, "t");
        _h.Register(q, "t");
        var kept = _h.Node(p)!;

        _h.Db.Tombstone("t", "nsqd2.example:4151").Should().Be(1);
        var tombstoned = _h.Node(q)!;
        tombstoned.IsKept.Should().BeFalse();
        tombstoned.Tombstones.Should().Equal(true);
        _h.Node(q).Should().NotBeSameAs(tombstoned);
        _h.Node(p).Should().BeSameAs(kept);

        _h.Clock.Advance(_h.Db.TombstoneLifetime);
        _h.Node(q)!.Tombstones.Should().Equal(false);
    }

    [Fact]
    public void ANewPeerWithTheSameId_GetsANewRow()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        var old = _h.Node(p)!;
        _h.Db.RemovePeer(p.Id);

        var again = _h.Identify("10.0.0.1:1000");
        _h.Register(again, "t");
        _h.Node(again).Should().NotBeSameAs(old).And.Match<NodeRow>(r => r.Peer == again);
    }
}
