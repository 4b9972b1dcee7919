using NsqLookup.Protocol;

namespace NsqLookup.Registry;

/// <summary>What a peer does to the directory: IDENTIFY / PING (<see cref="Touch"/>), REGISTER and both forms of
/// UNREGISTER. Each is one lock hold. The <see cref="PeerIdentity"/> forms serve any feed of registrations; the
/// others are this daemon's TCP connections (<see cref="PeerIdentity.Connection"/>).</summary>
internal sealed partial class RegistrationDB
{
    /// <summary>Adds <paramref name="peer"/> to the key, creating the key if needed. True only for a new entry;
    /// an existing entry (and its tombstone) is left untouched.</summary>
    public bool AddProducer(Registration r, PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return AddProducer(r, PeerIdentity.Connection(peer.Id), peer);
    }

    /// <summary><see cref="AddProducer(Registration, PeerInfo)"/> for the peer <paramref name="who"/>; its first entry
    /// makes <paramref name="peer"/> the record every entry of <paramref name="who"/> shares.</summary>
    public bool AddProducer(Registration r, PeerIdentity who, PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_lock)
        {
            var key = _keys.Ensure(r, _time.GetTimestamp(), out _);
            return AddEntry(key, _peers.GetOrAdd(who, peer));
        }
    }

    /// <summary>
    /// Channel-form UNREGISTER (docs/protocol.md, "Registration model"): removes the entry; an <c>#ephemeral</c> channel left
    /// with no producer loses its key. Returns whether the entry existed.
    /// </summary>
    public bool UnregisterChannel(string topic, string channel, string peerId) =>
        UnregisterChannel(topic, channel, PeerIdentity.Connection(peerId));

    public bool UnregisterChannel(string topic, string channel, PeerIdentity who)
    {
        lock (_lock)
        {
            if (_keys.Find(Registration.Channel(topic, channel)) is not { } key)
            {
                return false;
            }

            var removed = _peers.Find(who) is { } state && RemoveEntry(key, state);
            if (Names.IsEphemeral(channel) && LiveCount(key) == 0)
            {
                RemoveKey(key);
            }

            return removed;
        }
    }

    /// <summary>
    /// Topic-form UNREGISTER (docs/protocol.md, "Registration model"): removes the peer from every channel key of the topic
    /// (keys stay), then from the topic key, which goes away if it is <c>#ephemeral</c> and empty. Costs this peer's
    /// channels of that topic.
    /// </summary>
    public TopicUnregistration UnregisterTopic(string topic, string peerId) =>
        UnregisterTopic(topic, PeerIdentity.Connection(peerId));

    public TopicUnregistration UnregisterTopic(string topic, PeerIdentity who)
    {
        lock (_lock)
        {
            if (_keys.Topic(topic) is not { } node)
            {
                return new TopicUnregistration([], false);
            }

            var state = _peers.Find(who);
            var channels = new List<Registration>();
            if (state is not null && state.TryGetTopic(node, out var mine))
            {
                foreach (var key in mine.Channels.ToArray())
                {
                    RemoveEntry(key, state);
                    channels.Add(key.Registration);
                }
            }

            var removed = false;
            if (node.TopicKey is { } topicKey)
            {
                removed = state is not null && RemoveEntry(topicKey, state);
                if (Names.IsEphemeral(topic) && LiveCount(topicKey) == 0)
                {
                    RemoveKey(topicKey);
                }
            }

            return new TopicUnregistration(channels, removed);
        }
    }

    /// <summary>IDENTIFY / PING: stamps the peer's last update with now; returns the time since the previous stamp.</summary>
    public TimeSpan Touch(PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var since = peer.LastUpdateTimestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(peer.LastUpdateTimestamp, now);
            peer.LastUpdateTimestamp = now;
            peer.LastUpdateUnixNanos = GoTime.UnixNanos(_time.GetUtcNow());
            return since;
        }
    }
}
