namespace NsqLookup.Registry;

/// <summary>
/// The directory: (category, key, subkey) → producers (nsqlookupd/registration_db.go), stored so that every
/// operation costs what its answer costs, never what the directory holds (docs/registry.md). A facade over the
/// owners of its state, which it guards with one lock:
/// <list type="bullet">
/// <item><see cref="KeyIndex"/>: the keys, filed by topic, and the name lists readers take without the lock;</item>
/// <item><see cref="PeerTable"/>: who registered what, by <see cref="PeerIdentity"/>, and the entry counts;</item>
/// <item><see cref="KeyNode"/>: one key's entries, its live tombstones and since when it is empty;</item>
/// <item><see cref="RestoredTombstones"/>: tombstones brought back from <c>--data-path</c>.</item>
/// </list>
/// An entry lives in a key and in its peer's index; this file is the only code that adds or removes one, so the two
/// always agree. Nothing is awaited under the lock; readers hold it only to copy their answer, or one bounded piece
/// of it (docs/registry.md, "Locking"). Unlike the Go original, <c>*</c> is never a wildcard here: every name is
/// literal (docs/protocol.md, "Deliberate differences").
/// </summary>
internal sealed partial class RegistrationDB
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly KeyIndex _keys = new();
    private readonly PeerTable _peers = new();
    private readonly RestoredTombstones _restored;

    public RegistrationDB(TimeProvider time, TimeSpan inactiveProducerTimeout, TimeSpan tombstoneLifetime)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        InactiveProducerTimeout = inactiveProducerTimeout;
        TombstoneLifetime = tombstoneLifetime;
        _restored = new RestoredTombstones(time, tombstoneLifetime);
    }

    public TimeSpan InactiveProducerTimeout { get; }

    public TimeSpan TombstoneLifetime { get; }

    /// <summary>The directory's sizes from one lock hold; O(1).</summary>
    public RegistryCounts Counts()
    {
        lock (_lock)
        {
            return new RegistryCounts(
                Producers: _peers.Count,
                Topics: _keys.TopicNames.Count,
                Channels: _keys.ChannelKeys,
                ClientEntries: _keys.Client?.Count ?? 0,
                TopicEntries: _peers.TopicEntries,
                ChannelEntries: _peers.ChannelEntries);
        }
    }

    /// <summary>Adds the (live) peer's entry to the key; a topic entry picks up a restored tombstone that names the
    /// peer. False when the entry already exists (it is left untouched).</summary>
    private bool AddEntry(KeyNode key, PeerState state)
    {
        if (!key.Add(state.Slot))
        {
            return false;
        }

        _peers.Linked(state, key);
        if (key.Registration.IsTopic
            && !_restored.IsEmpty
            && _restored.TryFind(key.Topic!.Name, state.Info, _time.GetTimestamp(), out var stamp))
        {
            Tombstone(key, state, stamp, restamp: false);
        }

        return true;
    }

    /// <summary>Removes one entry from the key and from its peer (whose last entry frees its slot).</summary>
    private bool RemoveEntry(KeyNode key, PeerState state)
    {
        // When the entry stopped being visible: now for a live peer, the detach for a detached one (no clock read
        // per entry when a departed peer is released).
        var leftAt = state.Detached ? state.DetachedAt : _time.GetTimestamp();
        if (!key.Remove(state.Slot, leftAt, out var hadTombstone))
        {
            return false;
        }

        _peers.Unlinked(state, key, hadTombstone);
        return true;
    }

    /// <summary>Deletes a key with all its entries (and their tombstones); a topic key takes the topic's restored
    /// tombstones with it.</summary>
    private void RemoveKey(KeyNode key)
    {
        foreach (var slot in key)
        {
            _peers.Unlinked(_peers[slot], key, key.TryGetTombstone(slot, out _));
        }

        key.Clear();
        if (key.Registration.IsTopic)
        {
            _restored.Forget(key.Registration.Key);
        }

        _keys.Remove(key);
    }

    private void Tombstone(KeyNode key, PeerState state, TombstoneStamp stamp, bool restamp)
    {
        if (key.Tombstone(state.Slot, stamp, restamp))
        {
            state.TombstoneAdded();
        }
    }

    /// <summary>The key's entries that queries see: all of them unless some belong to a detached peer.</summary>
    private int LiveCount(KeyNode key)
    {
        if (_peers.Detached == 0)
        {
            return key.Count;
        }

        var live = 0;
        foreach (var slot in key)
        {
            if (!_peers[slot].Detached)
            {
                live++;
            }
        }

        return live;
    }
}
