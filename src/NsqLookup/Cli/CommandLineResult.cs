namespace NsqLookup.Cli;

/// <summary>What the command line said, before the config file is merged in.</summary>
/// <param name="Options">Defaults overridden by the flags given.</param>
/// <param name="ConfigPath"><c>--config</c>, or null when not given (or given as empty, which Go also treats as none).</param>
/// <param name="ExplicitFlags">
/// Go flag names (e.g. <c>log-level</c>) given on the command line: they beat the config file, everything else
/// may be taken from it (command line &gt; file &gt; default).
/// </param>
internal sealed record CommandLineResult(NsqLookupOptions Options, string? ConfigPath, IReadOnlySet<string> ExplicitFlags);
