namespace NsqLookup.Protocol;

/// <summary>Input bounds the Go original lacks (docs/protocol.md, "Deliberate differences" items 1–2). The host fills
/// these from <c>NsqLookupOptions.MaxCommandLineLength</c> / <c>MaxIdentifyBodySize</c>.</summary>
internal sealed record LookupProtocolLimits
{
    /// <summary>Longest command line accepted, LF included.</summary>
    public int MaxCommandLineLength { get; init; } = 4096;

    /// <summary>Largest IDENTIFY body accepted.</summary>
    public int MaxIdentifyBodySize { get; init; } = 64 * 1024;
}
