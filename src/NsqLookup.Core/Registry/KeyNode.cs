namespace NsqLookup.Registry;

/// <summary>
/// One registration and its producer entries. An entry is just the peer's slot (see <see cref="PeerState"/>):
/// the peer record is shared per connection, and tombstones are rare, so they live in a side table that stays
/// null for almost every key. Guarded by the DB lock.
/// </summary>
internal sealed class KeyNode(Registration registration, TopicNode? topic)
{
    public Registration Registration { get; } = registration;

    /// <summary>The topic this key is filed under; null for <c>client::</c>.</summary>
    public TopicNode? Topic { get; } = topic;

    public HashSet<int> Slots { get; } = [];

    /// <summary>Monotonic timestamp of the moment the key was last left with no visible entry (or created empty);
    /// only meaningful while <see cref="Slots"/> is empty. Read by the opt-in pruning of empty keys.</summary>
    public long EmptySince { get; set; }

    /// <summary>Slot → stamp for the entries that were ever tombstoned (topic keys only).</summary>
    public Dictionary<int, TombstoneStamp>? Tombstones { get; set; }
}
