namespace NsqLookup.Protocol;

/// <summary>The command a line names (its first token), as the Go original's <c>Exec</c> switch tells them apart.</summary>
internal enum LookupVerb
{
    /// <summary>No command: an over-long line.</summary>
    None,

    Ping,

    Identify,

    Register,

    Unregister,

    /// <summary>Any other first token: <c>E_INVALID invalid command</c>.</summary>
    Unknown,
}
