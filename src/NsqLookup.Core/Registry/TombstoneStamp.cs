namespace NsqLookup.Registry;

/// <summary>When one (topic, peer) entry was last tombstoned: monotonic for the lifetime test, Unix ns for
/// <c>/debug</c>. Having a stamp at all is the Go original's <c>tombstoned</c> flag, which is never cleared.</summary>
internal readonly record struct TombstoneStamp(long Timestamp, long UnixNanos);
