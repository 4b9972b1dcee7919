using Microsoft.Extensions.Time.Testing;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry.Owners;

/// <summary>What one key keeps true by itself: its tombstones belong to its entries, a topic key's changes stale
/// its topic's <c>/lookup</c> stamps, and it knows since when it is empty.</summary>
public sealed class KeyNodeTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly TopicNode _topic = new("t");

    [Fact]
    public void AddingAnEntryTwiceOrRemovingAnAbsentOne_ChangesNothing()
    {
        var key = new KeyNode(Registration.Topic("t"), _topic, 0);
        key.Add(1).Should().BeTrue();
        var version = _topic.LookupVersion;

        key.Add(1).Should().BeFalse();
        key.Remove(2, 0, out _).Should().BeFalse();
        key.Count.Should().Be(1);
        _topic.LookupVersion.Should().Be(version);
    }

    [Fact]
    public void ATombstone_ExistsOnlyForAnEntryAndLeavesWithIt()
    {
        var key = new KeyNode(Registration.Topic("t"), _topic, 0);
        var act = () => key.Tombstone(1, new TombstoneStamp(1, 1), restamp: true);
        act.Should().Throw<InvalidOperationException>();

        key.Add(1);
        key.Tombstone(1, new TombstoneStamp(1, 10), restamp: false).Should().BeTrue("a new stamp");
        key.Tombstone(1, new TombstoneStamp(2, 20), restamp: false).Should().BeFalse();
        key.TryGetTombstone(1, out var kept).Should().BeTrue();
        kept.UnixNanos.Should().Be(10, "without restamp the first stamp stays");
        key.Tombstone(1, new TombstoneStamp(3, 30), restamp: true).Should().BeFalse();
        key.TryGetTombstone(1, out kept);
        kept.UnixNanos.Should().Be(30);

        key.Remove(1, 0, out var hadTombstone).Should().BeTrue();
        hadTombstone.Should().BeTrue();
        key.HasTombstones.Should().BeFalse();
        key.Add(1);
        key.TryGetTombstone(1, out _).Should().BeFalse("a new entry of the same slot starts clean");
    }

    [Fact]
    public void EveryChangeToATopicKeysEntriesOrTombstones_StalesTheTopicsLookupAndChannelEntriesDoNot()
    {
        var topicKey = new KeyNode(Registration.Topic("t"), _topic, 0);
        var channelKey = new KeyNode(Registration.Channel("t", "c"), _topic, 0);

        var v = _topic.LookupVersion;
        topicKey.Add(1);
        _topic.LookupVersion.Should().NotBe(v);

        v = _topic.LookupVersion;
        topicKey.Tombstone(1, default, restamp: true);
        _topic.LookupVersion.Should().NotBe(v);

        v = _topic.LookupVersion;
        topicKey.Remove(1, 0, out _);
        _topic.LookupVersion.Should().NotBe(v);

        v = _topic.LookupVersion;
        channelKey.Add(1);
        channelKey.Remove(1, 0, out _);
        _topic.LookupVersion.Should().Be(v, "/lookup lists a topic's producers, not its channels' entries");
    }

    [Fact]
    public void AKey_IsEmptySinceItsCreationOrSinceItsLastEntryLeftWhicheverLeftLast()
    {
        var start = _clock.GetTimestamp();
        var key = new KeyNode(Registration.Channel("t", "c"), _topic, start);
        key.IsEmptyFor(TimeSpan.FromSeconds(10), start, _clock).Should().BeFalse();
        _clock.Advance(TimeSpan.FromSeconds(10));
        key.IsEmptyFor(TimeSpan.FromSeconds(10), _clock.GetTimestamp(), _clock).Should().BeTrue();

        key.Add(1);
        key.Add(2);
        key.IsEmptyFor(TimeSpan.Zero, _clock.GetTimestamp(), _clock).Should().BeFalse("it has entries");

        var late = _clock.GetTimestamp();
        _clock.Advance(TimeSpan.FromSeconds(5));
        var early = late - 1;
        key.Remove(1, late, out _);
        key.Remove(2, early, out _); // a detached peer's entry: invisible since before the other one left
        key.IsEmptyFor(TimeSpan.FromSeconds(5), _clock.GetTimestamp(), _clock).Should().BeTrue();
        key.IsEmptyFor(TimeSpan.FromSeconds(6), _clock.GetTimestamp(), _clock).Should().BeFalse("the later departure counts");
    }
}
