namespace NsqLookup.Registry;

internal static class GoTime
{
    /// <summary><c>time.Time{}.UnixNano()</c>: what <c>/debug</c> shows for a never-tombstoned entry.</summary>
    public const long ZeroUnixNanos = -6795364578871345152;

    public static long UnixNanos(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
