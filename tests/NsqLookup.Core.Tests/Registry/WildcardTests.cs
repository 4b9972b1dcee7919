using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>T109, docs/protocol.md "Deliberate differences" item 5: <c>*</c> is a literal name, never a wildcard.</summary>
public sealed class WildcardTests
{
    private readonly RegistryHarness _h = new();
    private readonly PeerInfo _peer;

    public WildcardTests()
    {
        _peer = _h.Identify("10.0.0.1:1000");
        _h.Register(_peer, "t1", "c1");
        _h.Register(_peer, "t2", "c2");
    }

    [Fact]
    public void T109_LookupStar_FindsNothing()
    {
        _h.Db.Lookup("*").Should().BeNull();
        _h.Db.Channels("*").Should().BeEmpty();
        _h.Db.Topics().Should().NotContain("*");
    }

    [Fact]
    public void T109_DeleteTopicStar_DeletesNothing()
    {
        _h.Db.DeleteTopic("*");

        _h.Db.Topics().Should().BeEquivalentTo(["t1", "t2"]);
        _h.Db.Channels("t1").Should().Equal("c1");
        _h.Db.Channels("t2").Should().Equal("c2");
        _h.LookupIds("t1").Should().Equal(_peer.Id);
        _h.Db.Debug().Should().HaveCount(5);
    }

    [Fact]
    public void TombstoneStar_TombstonesNothing()
    {
        _h.Db.Tombstone("*", "nsqd1.example:4151").Should().Be(0);

        _h.LookupIds("t1").Should().Equal(_peer.Id);
        _h.LookupIds("t2").Should().Equal(_peer.Id);
    }

    [Fact]
    public void StarSubkeyAndStarTopic_AreNotWildcardsForRemoval()
    {
        _h.Db.DeleteChannel("t1", "*").Should().BeFalse();
        _h.Db.DeleteChannel("*", "*").Should().BeFalse();
        _h.Db.UnregisterChannel("t1", "*", _peer.Id).Should().BeFalse();
        _h.Db.UnregisterTopic("*", _peer.Id).Should().BeEquivalentTo(new TopicUnregistration([], false));

        _h.Db.Channels("t1").Should().Equal("c1");
        _h.LookupIds("t1").Should().Equal(_peer.Id);
    }
}
