using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>docs/protocol.md, "Registration model" and <c>/topic/tombstone</c>: per (topic, peer) flag, in effect while
/// now − tombstoned_at &lt; lifetime; T68–T76 and "Deliberate differences" item 6.</summary>
public sealed class TombstoneTests
{
    private const string Node = "nsqd1.example:4151";
    private const long GoZeroTime = -6795364578871345152;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
    private readonly RegistryHarness _h = new(tombstoneLifetime: Lifetime);

    [Fact]
    public void T68_Tombstone_HidesFromLookupOfThatTopicOnly()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        _h.Register(p, "other");

        _h.Db.Tombstone("t", Node).Should().Be(1);

        var lookup = _h.Db.Lookup("t")!;
        lookup.Producers.Should().BeEmpty();
        lookup.Channels.Should().Equal("c");
        _h.LookupIds("other").Should().Equal(p.Id);
    }

    [Fact]
    public void T69_Nodes_ListsTombstonedPeer_WithFlagAtTheTopicsIndex()
    {
        var p = _h.Identify("10.0.0.1:1000");
        foreach (var topic in new[] { "a", "b", "t", "z" })
        {
            _h.Register(p, topic);
        }

        _h.Db.Tombstone("t", Node);

        var node = _h.Node(p)!;
        node.Topics.Should().BeEquivalentTo(["a", "b", "t", "z"]);
        node.Tombstones.Should().HaveSameCount(node.Topics);
        for (var i = 0; i < node.Topics.Count; i++)
        {
            node.Tombstones[i].Should().Be(node.Topics[i] == "t", node.Topics[i]);
        }
    }

    [Fact]
    public void T70_AfterLifetime_VisibleAgain_ButDebugStillTombstoned()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", Node);
        var stampedAt = RegistryHarness.UnixNanos(_h.Clock.GetUtcNow());

        _h.Clock.Advance(TimeSpan.FromMilliseconds(1100));
        _h.Db.Touch(p);

        _h.LookupIds("t").Should().Equal(p.Id);
        _h.TombstoneFlag(p, "t").Should().BeFalse();
        var entry = _h.DebugEntry("topic:t:", p)!;
        entry.Tombstoned.Should().BeTrue();
        entry.TombstonedAtUnixNanos.Should().Be(stampedAt);
    }

    [Fact]
    public void Tombstone_IsInEffectStrictlyLessThanTheLifetime()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", Node);

        _h.Clock.Advance(Lifetime - TimeSpan.FromTicks(1));
        _h.LookupIds("t").Should().BeEmpty();
        _h.TombstoneFlag(p, "t").Should().BeTrue();

        _h.Clock.Advance(TimeSpan.FromTicks(1));
        _h.LookupIds("t").Should().Equal(p.Id);
        _h.TombstoneFlag(p, "t").Should().BeFalse();
    }

    [Fact]
    public void ReTombstoning_Restamps()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", Node);
        _h.Clock.Advance(TimeSpan.FromMilliseconds(600));
        _h.Db.Touch(p);

        _h.Db.Tombstone("t", Node).Should().Be(1);
        var restampedAt = RegistryHarness.UnixNanos(_h.Clock.GetUtcNow());
        _h.Clock.Advance(TimeSpan.FromMilliseconds(600));

        _h.LookupIds("t").Should().BeEmpty();
        _h.DebugEntry("topic:t:", p)!.TombstonedAtUnixNanos.Should().Be(restampedAt);

        _h.Clock.Advance(TimeSpan.FromMilliseconds(400));
        _h.LookupIds("t").Should().Equal(p.Id);
    }

    [Fact]
    public void T71_RegisterWhileTombstoned_DoesNotRevive()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", Node);
        _h.Clock.Advance(TimeSpan.FromMilliseconds(500));

        _h.Register(p, "t");
        _h.Register(p, "t", "c");

        _h.LookupIds("t").Should().BeEmpty();
        _h.TombstoneFlag(p, "t").Should().BeTrue();
    }

    [Fact]
    public void T72_UnregisterThenRegister_ReappearsImmediately()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", Node);

        _h.Db.UnregisterTopic("t", p.Id);
        _h.Register(p, "t");

        _h.LookupIds("t").Should().Equal(p.Id);
        _h.TombstoneFlag(p, "t").Should().BeFalse();
        var entry = _h.DebugEntry("topic:t:", p)!;
        entry.Tombstoned.Should().BeFalse();
        entry.TombstonedAtUnixNanos.Should().Be(GoZeroTime);
    }

    [Theory]
    [InlineData("nsqd1.example:4150")]
    [InlineData("nsqd1.example")]
    [InlineData("nsqd1.example:41510")]
    [InlineData("nsqd1.example:415")]
    [InlineData("NSQD1.example:4151")]
    [InlineData("nsqd1.example:4151 ")]
    [InlineData("[nsqd1.example]:4151")]
    [InlineData("10.0.0.1:1000")]
    [InlineData("")]
    public void T73_NodeMustBeBroadcastAddressAndHttpPortExactly(string node)
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        _h.Db.Tombstone("t", node).Should().Be(0);

        _h.LookupIds("t").Should().Equal(p.Id);
        _h.DebugEntry("topic:t:", p)!.Tombstoned.Should().BeFalse();
    }

    [Fact]
    public void T74_TombstoningAnUnknownTopic_DoesNothing()
    {
        _h.Db.Tombstone("unknown", Node).Should().Be(0);

        _h.Db.Topics().Should().NotContain("unknown");
    }

    [Fact]
    public void Tombstone_StampsEveryMatchingPeerAndNoOther()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.1:1001");
        var c = _h.Identify("10.0.0.3:1000", broadcastAddress: "nsqd3.example");
        _h.Register(a, "t");
        _h.Register(b, "t");
        _h.Register(c, "t");

        _h.Db.Tombstone("t", Node).Should().Be(2);

        _h.LookupIds("t").Should().Equal(c.Id);
    }

    [Fact]
    public void Tombstone_AppliesToTopicEntriesOnly()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        _h.Db.Tombstone("t", Node);

        _h.DebugEntry("channel:t:c", p)!.Tombstoned.Should().BeFalse();
        _h.DebugEntry("client::", p)!.Tombstoned.Should().BeFalse();
    }

    [Theory]
    [InlineData("::1:4151")]
    [InlineData("[::1]:4151")]
    public void IPv6BroadcastAddress_MatchesBareAndBracketed(string node)
    {
        var p = _h.Identify("[::1]:50000", broadcastAddress: "::1");
        _h.Register(p, "t");

        _h.Db.Tombstone("t", node).Should().Be(1);

        _h.LookupIds("t").Should().BeEmpty();
    }

    [Theory]
    [InlineData("::1:4150")]
    [InlineData("[::1]:4150")]
    [InlineData("[::1:4151")]
    [InlineData("::1]:4151")]
    [InlineData("[::2]:4151")]
    [InlineData("[::1]4151")]
    [InlineData("[[::1]]:4151")]
    public void IPv6BroadcastAddress_RejectsNearMisses(string node)
    {
        var p = _h.Identify("[::1]:50000", broadcastAddress: "::1");
        _h.Register(p, "t");

        _h.Db.Tombstone("t", node).Should().Be(0);

        _h.LookupIds("t").Should().Equal(p.Id);
    }

    [Fact]
    public void T76_DebugTombstonedAt_IsGoZeroTimeUntilTombstoned()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        var before = _h.DebugEntry("topic:t:", p)!;
        before.Tombstoned.Should().BeFalse();
        before.TombstonedAtUnixNanos.Should().Be(GoZeroTime);

        _h.Clock.Advance(TimeSpan.FromSeconds(3));
        _h.Db.Tombstone("t", Node);

        var after = _h.DebugEntry("topic:t:", p)!;
        after.Tombstoned.Should().BeTrue();
        after.TombstonedAtUnixNanos.Should().BePositive()
            .And.Be(RegistryHarness.UnixNanos(RegistryHarness.Start.AddSeconds(3)));
    }
}
