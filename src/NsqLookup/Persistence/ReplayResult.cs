namespace NsqLookup.Persistence;

/// <summary>What <see cref="JournalReplay.Load"/> read: the state, the generation the journal must carry, and how
/// much of the journal is valid (null when there is no usable journal and a new one must be written).</summary>
internal sealed record ReplayResult(
    AdminState State,
    ulong Generation,
    long? JournalLength,
    int JournalRecords,
    long SnapshotLength,
    int SnapshotRecords);
