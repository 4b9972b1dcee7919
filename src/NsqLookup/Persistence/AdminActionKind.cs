namespace NsqLookup.Persistence;

/// <summary>The record types of the journal and the snapshot (docs/persistence.md). The values are on disk:
/// never renumber, only add.</summary>
internal enum AdminActionKind : byte
{
    /// <summary><c>/topic/create</c> (and the topic half of <c>/channel/create</c>): the topic key is kept.</summary>
    CreateTopic = 1,

    /// <summary><c>/topic/delete</c>: the topic key, all its channel keys and its tombstones go.</summary>
    DeleteTopic = 2,

    /// <summary><c>/channel/create</c>: the channel key is kept (its topic has its own record).</summary>
    CreateChannel = 3,

    /// <summary><c>/channel/delete</c>, or an empty channel key pruned: the channel key goes.</summary>
    DeleteChannel = 4,

    /// <summary><c>/topic/tombstone</c>: the producer id on the topic is tombstoned from the stored wall-clock time.</summary>
    Tombstone = 5,

    /// <summary>An empty topic key pruned (<c>--prune-empty-keys-after</c>): the topic key and its tombstones go,
    /// its channel keys stay (they are pruned on their own).</summary>
    PruneTopic = 6,
}
