namespace NsqLookup.Protocol;

/// <summary>What <see cref="LookupCommandReader.TryRead"/> found.</summary>
internal enum ReadStatus
{
    /// <summary>No whole command yet: wait for more bytes. Whatever was consumed is safe to release.</summary>
    Incomplete,

    /// <summary>A whole command (line, and IDENTIFY's body) was read and consumed.</summary>
    Command,

    /// <summary>The input cannot be a command (over-long line, bad IDENTIFY size, input ended mid-IDENTIFY); every
    /// such error is fatal.</summary>
    Error,
}
