namespace NsqLookup.Registry;

/// <summary><c>/lookup</c>'s answer, taken under one lock (spec §8 item 11). <see cref="Cached"/> is what a caller
/// stored for this very answer with <see cref="RegistrationDB.CacheLookup"/>, while it is still the answer.</summary>
public sealed record LookupResult(IReadOnlyList<string> Channels, IReadOnlyList<PeerInfo> Producers)
{
    public object? Cached { get; init; }

    internal LookupStamp? Stamp { get; init; }
}

/// <summary>One <c>/nodes</c> row: <c>Topics[i]</c> and <c>Tombstones[i]</c> belong together. <paramref name="Row"/>,
/// when not null, stands for the row's content: another view with the same instance (by reference) has the same
/// peer, topics and tombstones, so a caller may cache what it encodes from one under it. Null for a row with a
/// tombstone (whose flags also change with time).</summary>
public sealed record NodeView(PeerInfo Peer, IReadOnlyList<string> Topics, IReadOnlyList<bool> Tombstones, object? Row = null);

/// <summary>One raw entry of <c>/debug</c>.</summary>
public sealed record DebugEntry(PeerInfo Peer, long LastUpdateUnixNanos, bool Tombstoned, long TombstonedAtUnixNanos);

/// <summary>One <c>/debug</c> member: <c>category:key:subkey</c> and its entries.</summary>
public sealed record DebugRegistration(string Name, IReadOnlyList<DebugEntry> Entries);

/// <summary>What a topic-form UNREGISTER removed: the channel entries (each logged as unexpected) and whether
/// the topic entry existed.</summary>
public sealed record TopicUnregistration(IReadOnlyList<Registration> RemovedChannels, bool RemovedTopic);

/// <summary>The directory's sizes for the metrics gauges (<see cref="RegistrationDB.Counts"/>): peers with at least
/// one entry, topic and channel keys, and producer entries per category.</summary>
public readonly record struct RegistryCounts(int Producers, int Topics, int Channels, int ClientEntries, int TopicEntries, int ChannelEntries);
