namespace NsqLookup.Registry;

/// <summary>A peer's end in two steps: <see cref="DetachPeer(PeerIdentity)"/> (O(1), on the caller's thread) and
/// <see cref="ReleasePeer"/> (its entries, a few topics per lock hold). Who runs the second step, and whether at all
/// when the process is exiting, is the caller's choice (the daemon's release worker).</summary>
internal sealed partial class RegistrationDB
{
    public PeerDeparture? DetachPeer(string peerId) => DetachPeer(PeerIdentity.Connection(peerId));

    /// <summary>
    /// The O(1) half of a disconnect: the identity is free again, the peer leaves <c>client::</c> and the counts, and
    /// every query skips its remaining entries, so every answer is already what it will be once they are gone. Its
    /// entries stay (holding its slot) until <see cref="ReleasePeer"/>. Null when the peer has no entry.
    /// </summary>
    public PeerDeparture? DetachPeer(PeerIdentity who)
    {
        lock (_lock)
        {
            if (_peers.Remove(who) is not { } state)
            {
                return null;
            }

            var client = state.InClientKey && _keys.Client is { } key && RemoveEntry(key, state);
            _peers.Detach(state, _time.GetTimestamp());
            return new PeerDeparture(state, client);
        }
    }

    /// <summary>Removes a detached peer's entries (keys stay); returns every registration it was removed from,
    /// <c>client::</c> included. Costs this peer's registrations, taken a few topics per lock hold so a large peer
    /// leaving does not stall everyone else's REGISTER. When <paramref name="stop"/> is signalled it stops at the next
    /// hold: the rest stays (<see cref="PeerDeparture.IsReleased"/> is false, and <see cref="Held"/> lists it).</summary>
    public IReadOnlyList<Registration> ReleasePeer(PeerDeparture departure, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(departure);
        const int topicsPerHold = 32;
        var state = departure.State;
        var removed = new List<Registration>();
        if (departure.InClientKey)
        {
            removed.Add(Registration.Client);
        }

        TopicNode[] topics;
        lock (_lock)
        {
            removed.Capacity = removed.Count + state.Entries;
            topics = state.TopicNodes();
        }

        // A detached peer gains nothing, so only an HTTP delete races this, and it unlinks what it removes: what
        // state.Topics still names is still this peer's (its slot stays reserved until its last entry goes).
        for (var start = 0; start < topics.Length && !stop.IsCancellationRequested; start += topicsPerHold)
        {
            lock (_lock)
            {
                foreach (var topic in topics.AsSpan(start, Math.Min(topicsPerHold, topics.Length - start)))
                {
                    if (!state.TryGetTopic(topic, out var mine))
                    {
                        continue;
                    }

                    foreach (var key in mine.Channels.ToArray())
                    {
                        RemoveEntry(key, state);
                        removed.Add(key.Registration);
                    }

                    if (mine.InTopicKey && topic.TopicKey is { } topicKey)
                    {
                        RemoveEntry(topicKey, state);
                        removed.Add(topicKey.Registration);
                    }
                }
            }
        }

        return removed;
    }

    /// <summary>The topic and channel registrations a departed peer still holds, in the order
    /// <see cref="ReleasePeer"/> would remove them, without removing anything (<c>client::</c> left at the detach).</summary>
    public IReadOnlyList<Registration> Held(PeerDeparture departure)
    {
        ArgumentNullException.ThrowIfNull(departure);
        var state = departure.State;
        lock (_lock)
        {
            var list = new List<Registration>(state.Entries);
            foreach (var (topic, mine) in state.Topics)
            {
                foreach (var key in mine.Channels)
                {
                    list.Add(key.Registration);
                }

                if (mine.InTopicKey && topic.TopicKey is { } topicKey)
                {
                    list.Add(topicKey.Registration);
                }
            }

            return list;
        }
    }
}
