using System.Text;

namespace NsqLookup.Http;

/// <summary>
/// julienschmidt/httprouter v1.3.0 semantics (router.go <c>ServeHTTP</c>) over a route table: exact match on the
/// decoded path; otherwise, for a method that has routes, a redirect when the path matches a route of that method
/// after cleaning, case-insensitively, or with a trailing slash removed; then OPTIONS (200 + Allow) or 405
/// (+ Allow) when other methods have the exact path; else 404. Pure: no server, no request object.
/// </summary>
internal sealed class Router
{
    private const string Options = "OPTIONS";

    private readonly IReadOnlyList<RouteRow> _rows;
    private readonly Dictionary<string, RouteRow[]> _exact;
    private readonly HashSet<string> _methods;

    public Router(IReadOnlyList<RouteRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _rows = rows;
        _exact = rows.GroupBy(r => r.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _methods = rows.Select(r => r.Method).ToHashSet(StringComparer.Ordinal);
        var duplicate = rows.GroupBy(r => (r.Method, r.Path)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"route {duplicate.Key.Method} {duplicate.Key.Path} is in the table twice", nameof(rows));
        }
    }

    /// <summary>The daemon's router, over <see cref="HttpApi.Routes"/>.</summary>
    public static Router Default { get; } = new(HttpApi.Routes);

    public RouteDecision Resolve(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var atPath = _exact.GetValueOrDefault(path, []);
        if (_methods.Contains(method))
        {
            foreach (var row in atPath)
            {
                if (row.Method == method)
                {
                    return new RouteDecision(RouteDecisionKind.Handle, row);
                }
            }

            if (path != "/" && FindFixedPath(PathCleaner.Clean(path), method) is { } fixedPath)
            {
                return new RouteDecision(RouteDecisionKind.Redirect, Location: fixedPath);
            }
        }

        var allow = Allowed(atPath, method);
        if (allow is null)
        {
            return RouteDecision.NotFound;
        }

        return new RouteDecision(method == Options ? RouteDecisionKind.Options : RouteDecisionKind.MethodNotAllowed, Allow: allow);
    }

    /// <summary>httprouter <c>findCaseInsensitivePath</c> with trailing-slash fixing, limited to ASCII case folding
    /// (no route has a non-ASCII character).</summary>
    private string? FindFixedPath(string cleaned, string method)
    {
        var withoutSlash = cleaned.Length > 1 && cleaned[^1] == '/' ? cleaned.AsSpan(0, cleaned.Length - 1) : [];
        string? trailingMatch = null;
        foreach (var row in _rows)
        {
            if (row.Method != method)
            {
                continue;
            }

            if (Ascii.EqualsIgnoreCase(row.Path, cleaned))
            {
                return row.Path;
            }

            if (!withoutSlash.IsEmpty && Ascii.EqualsIgnoreCase(row.Path, withoutSlash))
            {
                trailingMatch = row.Path;
            }
        }

        return trailingMatch;
    }

    /// <summary>httprouter <c>allowed</c>: the other methods registered for exactly this path, plus OPTIONS,
    /// sorted and joined by <c>", "</c>; null when there are none.</summary>
    private static string? Allowed(RouteRow[] atPath, string method)
    {
        var allowed = atPath.Select(r => r.Method).Where(m => m != method && m != Options).ToList();
        if (allowed.Count == 0)
        {
            return null;
        }

        allowed.Add(Options);
        allowed.Sort(StringComparer.Ordinal);
        return string.Join(", ", allowed);
    }
}
