using Microsoft.Extensions.Logging;

namespace NsqLookup.Protocol;

/// <summary>Levels of the protocol's chattier log lines. The host fills these from <c>NsqLookupOptions.QuietPings</c>.</summary>
internal sealed record LookupProtocolLogging
{
    /// <summary>
    /// Level of <c>CLIENT(peer): pinged (last ping …)</c>: INFO like the original, or DEBUG with <c>--quiet-pings</c>
    /// (docs/protocol.md, "Deliberate differences" item 8: every nsqd pings every 15 s, so at INFO this line dominates
    /// the log).
    /// </summary>
    public LogLevel PingLevel { get; init; } = LogLevel.Information;
}
