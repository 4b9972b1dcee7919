using NsqLookup.Protocol;

namespace NsqLookup.Registry;

/// <summary>What the TCP protocol does to the directory: IDENTIFY / PING (<see cref="Touch"/>), REGISTER and both
/// forms of UNREGISTER. Each is one lock hold over the entry and key primitives.</summary>
internal sealed partial class RegistrationDB
{
    /// <summary>Adds <paramref name="peer"/> to the key, creating the key if needed. True only for a new entry;
    /// an existing entry (and its tombstone) is left untouched.</summary>
    public bool AddProducer(Registration r, PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_lock)
        {
            var key = EnsureKey(r, out _);
            if (!_peers.TryGetValue(peer.Id, out var state))
            {
                state = NewPeer(peer);
            }

            return AddEntry(key, state);
        }
    }

    /// <summary>
    /// Channel-form UNREGISTER (spec §2.8): removes the entry; an <c>#ephemeral</c> channel left with no
    /// producer loses its key. Returns whether the entry existed.
    /// </summary>
    public bool UnregisterChannel(string topic, string channel, string peerId)
    {
        lock (_lock)
        {
            if (FindKey(Registration.Channel(topic, channel)) is not { } key)
            {
                return false;
            }

            var removed = _peers.TryGetValue(peerId, out var state) && RemoveEntry(key, state);
            if (Names.IsEphemeral(channel) && LiveCount(key) == 0)
            {
                RemoveKey(key);
            }

            return removed;
        }
    }

    /// <summary>
    /// Topic-form UNREGISTER (spec §2.8): removes the peer from every channel key of the topic (keys stay),
    /// then from the topic key, which goes away if it is <c>#ephemeral</c> and empty. Costs this peer's
    /// channels of that topic.
    /// </summary>
    public TopicUnregistration UnregisterTopic(string topic, string peerId)
    {
        lock (_lock)
        {
            if (!_topicNodes.TryGetValue(topic, out var node))
            {
                return new TopicUnregistration([], false);
            }

            _peers.TryGetValue(peerId, out var state);
            var channels = new List<Registration>();
            if (state is not null && state.Topics.TryGetValue(node, out var mine))
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

    /// <summary>The key's entries that queries see: all of them unless some belong to a detached peer.</summary>
    private int LiveCount(KeyNode key)
    {
        if (_detached == 0)
        {
            return key.Slots.Count;
        }

        var live = 0;
        foreach (var slot in key.Slots)
        {
            if (!_slots[slot]!.Detached)
            {
                live++;
            }
        }

        return live;
    }
}
