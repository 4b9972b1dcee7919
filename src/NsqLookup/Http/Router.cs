using System.Text;

namespace NsqLookup.Http;

/// <summary>
/// The anchor's route table with julienschmidt/httprouter v1.3.0 semantics (router.go <c>ServeHTTP</c>):
/// exact match on the decoded path; otherwise, for a method that has routes, a redirect when the path matches a
/// route of that method after cleaning, case-insensitively, or with a trailing slash removed; then OPTIONS
/// (200 + Allow) or 405 (+ Allow) when other methods have the exact path; else 404.
/// </summary>
internal static class Router
{
    private const string Get = "GET";
    private const string Post = "POST";

    private static readonly (string Path, ApiRoute Get, ApiRoute Post)[] Table =
    [
        ("/ping", ApiRoute.Ping, ApiRoute.None),
        ("/info", ApiRoute.Info, ApiRoute.None),
        ("/debug", ApiRoute.Debug, ApiRoute.None),
        ("/lookup", ApiRoute.Lookup, ApiRoute.None),
        ("/topics", ApiRoute.Topics, ApiRoute.None),
        ("/channels", ApiRoute.Channels, ApiRoute.None),
        ("/nodes", ApiRoute.Nodes, ApiRoute.None),
        ("/topic/create", ApiRoute.None, ApiRoute.TopicCreate),
        ("/topic/delete", ApiRoute.None, ApiRoute.TopicDelete),
        ("/channel/create", ApiRoute.None, ApiRoute.ChannelCreate),
        ("/channel/delete", ApiRoute.None, ApiRoute.ChannelDelete),
        ("/topic/tombstone", ApiRoute.None, ApiRoute.TopicTombstone),
        ("/debug/pprof", ApiRoute.PprofIndex, ApiRoute.None),
        ("/debug/pprof/cmdline", ApiRoute.PprofProfile, ApiRoute.None),
        ("/debug/pprof/symbol", ApiRoute.PprofProfile, ApiRoute.PprofProfile),
        ("/debug/pprof/profile", ApiRoute.PprofProfile, ApiRoute.None),
        ("/debug/pprof/heap", ApiRoute.PprofProfile, ApiRoute.None),
        ("/debug/pprof/goroutine", ApiRoute.PprofProfile, ApiRoute.None),
        ("/debug/pprof/block", ApiRoute.PprofProfile, ApiRoute.None),
        ("/debug/pprof/threadcreate", ApiRoute.PprofProfile, ApiRoute.None),

        // Not in the anchor: the Prometheus scrape endpoint, GET only like the anchor's queries.
        ("/metrics", ApiRoute.Metrics, ApiRoute.None),
    ];

    private static readonly Dictionary<string, (ApiRoute Get, ApiRoute Post)> Exact = BuildExact();

    public static RouteDecision Resolve(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        Exact.TryGetValue(path, out var routes);
        var isGet = method == Get;
        var isPost = method == Post;
        if (isGet || isPost)
        {
            var route = isGet ? routes.Get : routes.Post;
            if (route != ApiRoute.None)
            {
                return new RouteDecision(RouteDecisionKind.Handle, route);
            }

            if (path != "/" && FindFixedPath(PathCleaner.Clean(path), isGet) is { } fixedPath)
            {
                return new RouteDecision(RouteDecisionKind.Redirect, Location: fixedPath);
            }
        }

        var allow = Allowed(routes, method);
        if (allow is null)
        {
            return RouteDecision.NotFound;
        }

        return new RouteDecision(method == "OPTIONS" ? RouteDecisionKind.Options : RouteDecisionKind.MethodNotAllowed, Allow: allow);
    }

    /// <summary>httprouter <c>findCaseInsensitivePath</c> with trailing-slash fixing, limited to ASCII case folding
    /// (no route has a non-ASCII character).</summary>
    private static string? FindFixedPath(string cleaned, bool isGet)
    {
        var withoutSlash = cleaned.Length > 1 && cleaned[^1] == '/' ? cleaned.AsSpan(0, cleaned.Length - 1) : [];
        string? trailingMatch = null;
        foreach (var (path, get, post) in Table)
        {
            if ((isGet ? get : post) == ApiRoute.None)
            {
                continue;
            }

            if (Ascii.EqualsIgnoreCase(path, cleaned))
            {
                return path;
            }

            if (!withoutSlash.IsEmpty && Ascii.EqualsIgnoreCase(path, withoutSlash))
            {
                trailingMatch = path;
            }
        }

        return trailingMatch;
    }

    /// <summary>httprouter <c>allowed</c>: the other methods registered for exactly this path, plus OPTIONS,
    /// sorted and joined by <c>", "</c>; null when there are none.</summary>
    private static string? Allowed((ApiRoute Get, ApiRoute Post) routes, string method)
    {
        var get = routes.Get != ApiRoute.None && method != Get;
        var post = routes.Post != ApiRoute.None && method != Post;
        return (get, post) switch
        {
            (true, true) => "GET, OPTIONS, POST",
            (true, false) => "GET, OPTIONS",
            (false, true) => "OPTIONS, POST",
            _ => null,
        };
    }

    private static Dictionary<string, (ApiRoute Get, ApiRoute Post)> BuildExact()
    {
        var exact = new Dictionary<string, (ApiRoute, ApiRoute)>(StringComparer.Ordinal);
        foreach (var (path, get, post) in Table)
        {
            exact[path] = (get, post);
        }

        return exact;
    }
}
