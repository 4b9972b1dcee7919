namespace NsqLookup.Registry;

/// <summary>One raw entry of <c>/debug</c>.</summary>
public sealed record DebugEntry(PeerInfo Peer, long LastUpdateUnixNanos, bool Tombstoned, long TombstonedAtUnixNanos);
