namespace NsqLookup.Protocol;

/// <summary>What <see cref="LookupCommandReader.TryReadLine"/> found.</summary>
internal enum LineStatus
{
    /// <summary>No LF yet and still under the limit: wait for more bytes; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A whole line was read and consumed.</summary>
    Complete,

    /// <summary>The line (LF included) exceeds the limit (docs/protocol.md, "Deliberate differences" item 2).</summary>
    TooLong,
}
