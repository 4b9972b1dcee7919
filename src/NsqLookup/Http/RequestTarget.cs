namespace NsqLookup.Http;

/// <summary>
/// The request target as Go's <c>url.ParseRequestURI</c> splits it: the decoded path the router matches on,
/// the raw query, and whether a <c>?</c> was present. Built from Kestrel's raw target because Kestrel
/// removes <c>.</c>/<c>..</c> segments from <c>Request.Path</c>, which would hide the Go original's redirects.
/// </summary>
internal readonly record struct RequestTarget(string Path, string RawQuery, bool HasQuery)
{
    /// <summary>False when the path has a malformed <c>%</c> escape (Go answers <c>400 Bad Request</c>).</summary>
    public static bool TryParse(string rawTarget, out RequestTarget target)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var raw = rawTarget.AsSpan();

        // Absolute form (GET http://host/ping): Go routes on the path part only.
        var scheme = raw.IndexOf("://", StringComparison.Ordinal);
        if (!raw.StartsWith("/") && scheme > 0)
        {
            raw = raw[(scheme + 3)..];
            var pathStart = raw.IndexOfAny('/', '?');
            raw = pathStart < 0 ? [] : raw[pathStart..];
        }

        var q = raw.IndexOf('?');
        var rawPath = q < 0 ? raw : raw[..q];
        var rawQuery = q < 0 ? "" : raw[(q + 1)..].ToString();
        if (!QueryParameters.TryUnescape(rawPath, out var path, plusIsSpace: false))
        {
            target = default;
            return false;
        }

        target = new RequestTarget(path.Length == 0 ? "/" : path, rawQuery, q >= 0);
        return true;
    }
}
