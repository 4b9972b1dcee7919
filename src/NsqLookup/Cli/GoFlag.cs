namespace NsqLookup.Cli;

/// <summary>One flag of a <see cref="GoFlagParser"/>.</summary>
/// <param name="Name">Without dashes, e.g. <c>tcp-address</c>.</param>
/// <param name="IsBool">A bool flag never consumes the next argument (<c>-version</c>, <c>-version=false</c>).</param>
/// <param name="Set">Applies a value; returns null on success or the error text Go's <c>flag.Value.Set</c> would give.</param>
internal sealed record GoFlag(string Name, bool IsBool, Func<string, string?> Set);
