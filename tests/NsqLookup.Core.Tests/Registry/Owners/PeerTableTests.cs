using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry.Owners;

/// <summary>Who registered what: identities, slots and visible-entry counts.</summary>
public sealed class PeerTableTests
{
    private static readonly PeerInfo Peer = new("10.0.0.1:1000", "nsqd1.example", "h1", 4150, 4151, "1.3.0");
    private readonly PeerTable _peers = new();
    private readonly TopicNode _topic = new("t");

    [Fact]
    public void OneStatePerIdentityAndTheSameIdFromAnotherSource_IsAnotherPeer()
    {
        var local = PeerIdentity.Connection(Peer.Id);
        var remote = new PeerIdentity(new RegistrationSource("other"), Peer.Id);
        var a = _peers.GetOrAdd(local, Peer);
        _peers.GetOrAdd(local, Peer).Should().BeSameAs(a);
        var b = _peers.GetOrAdd(remote, Peer);
        b.Should().NotBeSameAs(a);
        b.Slot.Should().NotBe(a.Slot);
        _peers.Find(remote).Should().BeSameAs(b);
        _peers.Count.Should().Be(2);
    }

    [Fact]
    public void TheLastEntry_FreesTheSlotAndTheIdentity()
    {
        var key = Key(Registration.Topic("t"));
        var who = PeerIdentity.Connection(Peer.Id);
        var state = Link(who, key);
        _peers.TopicEntries.Should().Be(1);

        Unlink(state, key);
        state.Released.Should().BeTrue();
        _peers.Find(who).Should().BeNull();
        _peers.Count.Should().Be(0);
        _peers.TopicEntries.Should().Be(0);
        _peers.GetOrAdd(who, Peer).Slot.Should().Be(state.Slot, "a freed slot is given out again");
    }

    [Fact]
    public void ADetachedPeer_LeavesTheCountsAtOnceAndItsIdentityMayBeReusedBeforeItsRelease()
    {
        var topicKey = Key(Registration.Topic("t"));
        var channelKey = Key(Registration.Channel("t", "c"));
        var who = PeerIdentity.Connection(Peer.Id);
        var old = Link(who, topicKey);
        Link(who, channelKey);
        _peers.ChannelEntries.Should().Be(1);

        _peers.Remove(who).Should().BeSameAs(old);
        _peers.Detach(old, now: 42);
        old.Detached.Should().BeTrue();
        old.DetachedAt.Should().Be(42, "its entries have been invisible since the detach");
        _peers.Detached.Should().Be(1);
        (_peers.TopicEntries, _peers.ChannelEntries).Should().Be((0, 0));

        var again = Link(who, topicKey);
        again.Should().NotBeSameAs(old);
        _peers.TopicEntries.Should().Be(1);

        Unlink(old, topicKey);
        Unlink(old, channelKey);
        _peers.Detached.Should().Be(0);
        _peers.TopicEntries.Should().Be(1, "the old peer's release leaves the counts alone");
        _peers.Find(who).Should().BeSameAs(again, "releasing the old peer does not take the identity from the new one");
    }

    [Fact]
    public void APeersRow_IsKeptUntilItsTopicEntriesChange()
    {
        var key = Key(Registration.Topic("t"));
        var channel = Key(Registration.Channel("t", "c"));
        var state = Link(PeerIdentity.Connection(Peer.Id), key);
        var row = state.Row(0, TimeSpan.FromSeconds(45), TimeProvider.System);
        row.Topics.Should().Equal("t");

        channel.Add(state.Slot);
        _peers.Linked(state, channel);
        state.Row(0, TimeSpan.FromSeconds(45), TimeProvider.System).Should().BeSameAs(row);

        Unlink(state, key);
        state.Row(0, TimeSpan.FromSeconds(45), TimeProvider.System).Topics.Should().BeEmpty();
    }

    private KeyNode Key(Registration r) => new(r, _topic, 0);

    private PeerState Link(PeerIdentity who, KeyNode key)
    {
        var state = _peers.GetOrAdd(who, Peer);
        key.Add(state.Slot).Should().BeTrue();
        _peers.Linked(state, key);
        return state;
    }

    private void Unlink(PeerState state, KeyNode key)
    {
        key.Remove(state.Slot, 0, out var hadTombstone).Should().BeTrue();
        _peers.Unlinked(state, key, hadTombstone);
    }
}
