namespace NsqLookup.Registry;

/// <summary>
/// One registration and its producer entries. An entry is just the peer's slot (<see cref="PeerTable"/>): the peer
/// record is shared per peer, and tombstones are rare, so they live in a side table that stays null for almost every
/// key. The key keeps its own invariants: a tombstone exists only for an entry of the key and leaves with it; every
/// change to a topic key's entries or tombstones stales its topic's <c>/lookup</c> stamps; and the key knows since
/// when it has been without a visible entry (what the opt-in pruning reads). Guarded by the registry lock.
/// </summary>
internal sealed class KeyNode
{
    private readonly HashSet<int> _slots = [];
    private Dictionary<int, TombstoneStamp>? _tombstones;
    private long _emptySince;

    /// <param name="createdAt">Monotonic timestamp of the creation: a key created empty is empty since then.</param>
    public KeyNode(Registration registration, TopicNode? topic, long createdAt)
    {
        Registration = registration;
        Topic = topic;
        _emptySince = createdAt;
    }

    public Registration Registration { get; }

    /// <summary>The topic this key is filed under; null for <c>client::</c>.</summary>
    public TopicNode? Topic { get; }

    public int Count => _slots.Count;

    public bool HasTombstones => _tombstones is not null;

    /// <summary>The slots of the key's entries (no allocation; do not change the key while enumerating).</summary>
    public HashSet<int>.Enumerator GetEnumerator() => _slots.GetEnumerator();

    /// <summary>Adds the entry; false (and nothing changes) when it exists.</summary>
    public bool Add(int slot)
    {
        if (!_slots.Add(slot))
        {
            return false;
        }

        TopicEntriesChanged();
        return true;
    }

    /// <summary>Removes the entry and its tombstone. <paramref name="leftAt"/> is when the entry stopped being visible
    /// (now for a live peer, the detach for a detached one): the key is empty since the latest such moment, whichever
    /// entry left last. False when there was no such entry.</summary>
    public bool Remove(int slot, long leftAt, out bool hadTombstone)
    {
        hadTombstone = false;
        if (!_slots.Remove(slot))
        {
            return false;
        }

        _emptySince = Math.Max(_emptySince, leftAt);
        if (_tombstones is { } tombstones && tombstones.Remove(slot))
        {
            hadTombstone = true;
            if (tombstones.Count == 0)
            {
                _tombstones = null;
            }
        }

        TopicEntriesChanged();
        return true;
    }

    /// <summary>Stamps the entry; an entry already stamped keeps its stamp unless <paramref name="restamp"/>. True when
    /// the entry had no stamp before (the peer then has one tombstoned entry more).</summary>
    public bool Tombstone(int slot, TombstoneStamp stamp, bool restamp)
    {
        if (!_slots.Contains(slot))
        {
            throw new InvalidOperationException($"slot {slot} has no entry in {Registration}");
        }

        _tombstones ??= [];
        var added = _tombstones.TryAdd(slot, stamp);
        if (!added && restamp)
        {
            _tombstones[slot] = stamp;
        }

        Topic?.LookupChanged();
        return added;
    }

    public bool TryGetTombstone(int slot, out TombstoneStamp stamp)
    {
        stamp = default;
        return _tombstones is { } tombstones && tombstones.TryGetValue(slot, out stamp);
    }

    /// <summary>Whether the entry's tombstone is still within <paramref name="lifetime"/> at <paramref name="now"/>.</summary>
    public bool IsTombstoned(int slot, long now, TimeSpan lifetime, TimeProvider time) =>
        TryGetTombstone(slot, out var stamp) && time.GetElapsedTime(stamp.Timestamp, now) < lifetime;

    /// <summary>Whether the key has had no entry for at least <paramref name="grace"/>.</summary>
    public bool IsEmptyFor(TimeSpan grace, long now, TimeProvider time) =>
        _slots.Count == 0 && time.GetElapsedTime(_emptySince, now) >= grace;

    /// <summary>Forgets every entry (the key is being deleted; the caller has unlinked them from their peers).</summary>
    public void Clear()
    {
        _slots.Clear();
        _tombstones = null;
    }

    private void TopicEntriesChanged()
    {
        if (Registration.IsTopic)
        {
            Topic!.LookupChanged();
        }
    }
}
