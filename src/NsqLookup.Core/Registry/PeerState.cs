namespace NsqLookup.Registry;

/// <summary>
/// The registry's side of one peer id: a small slot number that keys its entries, the peer record they share,
/// and its entries grouped by topic, so a topic-form UNREGISTER, a <c>/nodes</c> row and a disconnect touch only
/// this peer's registrations. Exists while the peer has at least one entry. Guarded by the DB lock.
/// </summary>
internal sealed class PeerState(int slot, PeerInfo info)
{
    public int Slot { get; } = slot;

    /// <summary>The record of the connection that first registered under this id: peer ids are unique among live
    /// connections, and the entry is released with the connection's last registration.</summary>
    public PeerInfo Info { get; } = info;

    public bool InClientKey { get; set; }

    public Dictionary<TopicNode, PeerTopic> Topics { get; } = [];

    /// <summary>Client, topic and channel entries together; the slot is freed when this reaches zero.</summary>
    public int Entries { get; set; }

    /// <summary>Topic entries among <see cref="Entries"/> (the rest are channel entries and <c>client::</c>).</summary>
    public int TopicEntries { get; set; }

    public bool Released { get; set; }

    /// <summary>The connection is gone (<see cref="RegistrationDB.DetachPeer"/>): its id is no longer this state's,
    /// it is out of the counts, and every query skips its entries until they are released.</summary>
    public bool Detached { get; set; }

    /// <summary>Monotonic timestamp of the detach: when its entries stopped being visible.</summary>
    public long DetachedAt { get; set; }

    /// <summary>How many of this peer's entries carry a tombstone stamp; while zero, a <c>/nodes</c> row needs no
    /// per-topic lookups.</summary>
    public int Tombstoned { get; set; }

    /// <summary>The topics this peer has a topic entry in, for <c>/nodes</c>; null when stale (rebuilt on the next
    /// query, so the cost of a change is paid once, not on every poll).</summary>
    public NodeRow? TopicRow { get; set; }
}
