namespace NsqLookup.Cli;

internal enum GoFlagParseOutcome
{
    Ok,

    /// <summary><c>-h</c> / <c>-help</c>: usage printed; Go's ExitOnError exits 0.</summary>
    Help,

    /// <summary>Error and usage printed; Go's ExitOnError exits 2.</summary>
    Error,
}
