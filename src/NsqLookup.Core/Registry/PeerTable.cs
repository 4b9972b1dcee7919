namespace NsqLookup.Registry;

/// <summary>
/// Who registered what: every peer with at least one entry, by <see cref="PeerIdentity"/> while it is live and by
/// slot until its last entry is released, with the sizes the metrics read. The only code that gives out or frees a
/// slot, and that counts visible entries: a detached peer's entries leave the counts at the detach, not at their
/// release. Guarded by the registry lock.
/// </summary>
internal sealed class PeerTable
{
    private readonly Dictionary<PeerIdentity, PeerState> _live = [];
    private readonly List<PeerState?> _slots = [];
    private readonly Stack<int> _freeSlots = new();

    /// <summary>Live peers (detached ones excluded).</summary>
    public int Count => _live.Count;

    /// <summary>Peers detached whose entries are not all released yet; while zero, no key holds a slot that queries
    /// must skip.</summary>
    public int Detached { get; private set; }

    /// <summary>Entries in topic keys, detached peers' excluded.</summary>
    public int TopicEntries { get; private set; }

    /// <summary>Entries in channel keys, detached peers' excluded.</summary>
    public int ChannelEntries { get; private set; }

    /// <summary>The peer holding <paramref name="slot"/>: every slot of a key's entry is held.</summary>
    public PeerState this[int slot] => _slots[slot]!;

    public PeerState? Find(PeerIdentity identity) => _live.TryGetValue(identity, out var state) ? state : null;

    /// <summary>The live peer with this identity; a new state (and slot) if it has none. A new state must get an
    /// entry before the lock is released (<see cref="Linked"/>), or it would hold its slot forever.</summary>
    public PeerState GetOrAdd(PeerIdentity identity, PeerInfo info)
    {
        if (_live.TryGetValue(identity, out var state))
        {
            return state;
        }

        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots.Count;
        state = new PeerState(identity, slot, info);
        if (slot == _slots.Count)
        {
            _slots.Add(state);
        }
        else
        {
            _slots[slot] = state;
        }

        _live.Add(identity, state);
        return state;
    }

    /// <summary>The peer's entry was just added to <paramref name="key"/>.</summary>
    public void Linked(PeerState state, KeyNode key)
    {
        state.Link(key);
        Tally(key, state, +1);
    }

    /// <summary>The peer's entry just left <paramref name="key"/>; its last entry frees its slot (and, for a live
    /// peer, its identity).</summary>
    public void Unlinked(PeerState state, KeyNode key, bool hadTombstone)
    {
        Tally(key, state, -1);
        state.Unlink(key, hadTombstone);
        if (!state.Released)
        {
            return;
        }

        if (state.Detached)
        {
            Detached--; // its identity already left, and may belong to a new peer by now
        }
        else if (_live.TryGetValue(state.Identity, out var live) && live == state)
        {
            _live.Remove(state.Identity);
        }

        _slots[state.Slot] = null;
        _freeSlots.Push(state.Slot);
    }

    /// <summary>Takes the identity out of the live peers: it may be given to a new peer at once. Entries left (held
    /// under its slot) become invisible and leave the counts until they are released. Null for an unknown identity.</summary>
    public PeerState? Remove(PeerIdentity identity) => _live.Remove(identity, out var state) ? state : null;

    /// <summary>Marks a peer just <see cref="Remove"/>d as detached, if it still has entries.</summary>
    public void Detach(PeerState state, long now)
    {
        if (state.Released)
        {
            return;
        }

        state.Detach(now);
        Detached++;
        TopicEntries -= state.TopicEntries;
        ChannelEntries -= state.ChannelEntries;
    }

    private void Tally(KeyNode key, PeerState state, int delta)
    {
        if (state.Detached || key.Topic is null)
        {
            return;
        }

        if (key.Registration.IsTopic)
        {
            TopicEntries += delta;
        }
        else
        {
            ChannelEntries += delta;
        }
    }
}
