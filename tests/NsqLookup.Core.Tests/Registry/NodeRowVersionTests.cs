using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>A <c>/nodes</c> row's version (<see cref="NodeView.Version"/>) is what a cache of encoded rows trusts:
/// it must change with every change of the row's content and only then, and never be shared by two rows.</summary>
public sealed class NodeRowVersionTests
{
    private readonly RegistryHarness _h = new();

    [Fact]
    public void The_version_stays_across_polls_and_changes_with_the_peers_topic_entries_only()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t1");
        var v1 = _h.Node(p)!.Version;
        v1.Should().NotBe(0);
        _h.Node(p)!.Version.Should().Be(v1);

        _h.Db.AddProducer(Registration.Channel("t1", "c"), p);
        _h.Db.UnregisterChannel("t1", "c", p.Id);
        _h.Node(p)!.Version.Should().Be(v1, "channel entries are not in the row");

        _h.Register(p, "t2");
        var v2 = _h.Node(p)!.Version;
        v2.Should().NotBe(v1);

        _h.Db.UnregisterTopic("t2", p.Id);
        var v3 = _h.Node(p)!.Version;
        v3.Should().NotBe(v2).And.NotBe(v1, "a version is never reused, even for a row equal to an older one");

        _h.Db.DeleteTopic("t1");
        _h.Node(p)!.Version.Should().NotBe(v3);
        _h.Node(p)!.Topics.Should().BeEmpty();
    }

    [Fact]
    public void Two_peers_never_share_a_version_and_a_tombstoned_row_has_none()
    {
        var p = _h.Identify("10.0.0.1:1000");
        var q = _h.Identify("10.0.0.2:1000", broadcastAddress: "nsqd2.example");
        _h.Register(p, "t");
        _h.Register(q, "t");
        _h.Node(p)!.Version.Should().NotBe(_h.Node(q)!.Version);

        _h.Db.Tombstone("t", "nsqd2.example:4151").Should().Be(1);
        _h.Node(q)!.Version.Should().Be(0);
        _h.Node(p)!.Version.Should().NotBe(0);
    }
}
