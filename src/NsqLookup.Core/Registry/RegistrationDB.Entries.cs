namespace NsqLookup.Registry;

/// <summary>The entry primitives: the only code that adds, removes or detaches entries, and with them the entry
/// counters, the peer's slot, its cached <c>/nodes</c> row, the topic's version and the key's empty-since stamp.</summary>
internal sealed partial class RegistrationDB
{
    /// <summary>A state (and slot) for a peer id that has none; registered under <see cref="PeerInfo.Id"/>.</summary>
    private PeerState NewPeer(PeerInfo peer)
    {
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots.Count;
        var state = new PeerState(slot, peer);
        if (slot == _slots.Count)
        {
            _slots.Add(state);
        }
        else
        {
            _slots[slot] = state;
        }

        _peers.Add(peer.Id, state);
        return state;
    }

    /// <summary>Adds the (live) peer's entry to the key and links it from the peer; a topic entry picks up a restored
    /// tombstone that names the peer. False when the entry already exists (it is left untouched).</summary>
    private bool AddEntry(KeyNode key, PeerState state)
    {
        if (!key.Slots.Add(state.Slot))
        {
            return false;
        }

        state.Entries++;
        if (key.Topic is not { } topic)
        {
            state.InClientKey = true;
            return true;
        }

        if (!state.Topics.TryGetValue(topic, out var mine))
        {
            state.Topics[topic] = mine = new PeerTopic();
        }

        if (key.Registration.IsTopic)
        {
            mine.InTopicKey = true;
            state.TopicRow = null;
            state.TopicEntries++;
            _topicEntries++;
            ApplyRestoredTombstone(key, state);
            LookupChanged(topic);
        }
        else
        {
            mine.AddChannel(key);
            _channelEntries++;
        }

        return true;
    }

    /// <summary>Deletes one entry and unlinks it from its peer; frees the peer's slot with its last entry.</summary>
    private bool RemoveEntry(KeyNode key, PeerState state)
    {
        if (!key.Slots.Remove(state.Slot))
        {
            return false;
        }

        // When the key's last visible producer left: now for a live peer, the detach for a detached one (its entries
        // were already invisible). Kept as a maximum over removals, so whichever left last decides; read only once
        // the key is empty.
        key.EmptySince = Math.Max(key.EmptySince, state.Detached ? state.DetachedAt : _time.GetTimestamp());

        if (key.Registration.IsTopic)
        {
            LookupChanged(key.Topic);
        }

        ForgetTombstone(key, state);
        Unlink(key, state);
        return true;
    }

    /// <summary>Marks the peer detached: its entries stay (holding its slot) but leave the counts, and every query
    /// skips them from now on. A peer with no entry left is already released and needs nothing.</summary>
    private void Detach(PeerState state)
    {
        if (state.Entries > 0)
        {
            state.Detached = true;
            state.DetachedAt = _time.GetTimestamp();
            _detached++;
            _topicEntries -= state.TopicEntries;
            _channelEntries -= state.Entries - state.TopicEntries;
        }
    }

    /// <summary>The peer's side of an entry that just left <paramref name="key"/>'s slots.</summary>
    private void Unlink(KeyNode key, PeerState state)
    {
        if (key.Topic is not { } topic)
        {
            state.InClientKey = false;
        }
        else
        {
            var mine = state.Topics[topic];
            if (key.Registration.IsTopic)
            {
                mine.InTopicKey = false;
                state.TopicRow = null;
                state.TopicEntries--;
                if (!state.Detached)
                {
                    _topicEntries--;
                }
            }
            else
            {
                mine.RemoveChannel(key);
                if (!state.Detached)
                {
                    _channelEntries--;
                }
            }

            if (mine.IsEmpty)
            {
                state.Topics.Remove(topic);
            }
        }

        if (--state.Entries == 0)
        {
            state.Released = true;
            if (state.Detached)
            {
                _detached--; // its id already left _peers, and may belong to a new connection by now
            }
            else
            {
                _peers.Remove(state.Info.Id);
            }

            _slots[state.Slot] = null;
            _freeSlots.Push(state.Slot);
        }
    }
}
