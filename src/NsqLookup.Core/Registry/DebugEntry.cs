namespace NsqLookup.Registry;

/// <summary>One raw entry of <c>/debug</c>.</summary>
internal sealed record DebugEntry(PeerInfo Peer, long LastUpdateUnixNanos, bool Tombstoned, long TombstonedAtUnixNanos);
