namespace NsqLookup.Http;

/// <summary>
/// The route table (nsqlookupd/http.go <c>newHTTPServer</c>): one row per method and path, read by the router
/// (exact match, httprouter's redirects, 405 and OPTIONS with <c>Allow</c>), by the admin check (the row's access
/// class), by the writer (its response kind) and by the access log. Adding a route is adding a row.
/// </summary>
internal sealed partial class HttpApi
{
    private const bool Logged = true;
    private const bool NotLogged = false;

    public static IReadOnlyList<RouteRow> Routes { get; } =
    [
        Get("/ping", static (_, _) => new(ApiResult.Empty), ResponseKind.Text, RouteAccess.Read, Logged),
        Get("/info", static (_, _) => new(DoInfo()), ResponseKind.V1, RouteAccess.Read, Logged),
        Get("/debug", static (api, _) => new(api.DoDebug()), ResponseKind.V1, RouteAccess.Debug, Logged),
        Get("/lookup", static (api, t) => new(api.DoLookup(t)), ResponseKind.V1, RouteAccess.Read, Logged),
        Get("/topics", static (api, _) => new(api.DoTopics()), ResponseKind.V1, RouteAccess.Read, Logged),
        Get("/channels", static (api, t) => new(api.DoChannels(t)), ResponseKind.V1, RouteAccess.Read, Logged),
        Get("/nodes", static (api, _) => new(api.DoNodes()), ResponseKind.V1, RouteAccess.Read, Logged),
        Post("/topic/create", static (api, t) => api.DoCreateTopicAsync(t), ResponseKind.V1, RouteAccess.Admin, Logged),
        Post("/topic/delete", static (api, t) => api.DoDeleteTopicAsync(t), ResponseKind.V1, RouteAccess.Admin, Logged),
        Post("/channel/create", static (api, t) => api.DoCreateChannelAsync(t), ResponseKind.V1, RouteAccess.Admin, Logged),
        Post("/channel/delete", static (api, t) => api.DoDeleteChannelAsync(t), ResponseKind.V1, RouteAccess.Admin, Logged),
        Post("/topic/tombstone", static (api, t) => api.DoTombstoneTopicProducerAsync(t), ResponseKind.V1, RouteAccess.Admin, Logged),

        // The Go original's pprof routes: routed for 405/Allow/OPTIONS parity, but there is no Go profile to serve,
        // so each answers 404 (the index page aside); none is access-logged.
        Get("/debug/pprof", null, ResponseKind.PprofIndex, RouteAccess.Debug, NotLogged),
        Get("/debug/pprof/cmdline", NoProfile, ResponseKind.V1, RouteAccess.Debug, NotLogged),
        Get("/debug/pprof/symbol", NoProfile, ResponseKind.V1, RouteAccess.Debug, NotLogged),
        Post("/debug/pprof/symbol", NoProfile, ResponseKind.V1, RouteAccess.Debug, NotLogged),
        Get("/debug/pprof/profile", NoProfile, ResponseKind.V1, RouteAccess.Debug, NotLogged),
        Get("/debug/pprof/heap", NoProfile, ResponseKind.V1, RouteAccess.Debug, NotLogged),
        Get("/debug/pprof/goroutine", NoProfile, ResponseKind.V1, RouteAccess.Debug, NotLogged),
        Get("/debug/pprof/block", NoProfile, ResponseKind.V1, RouteAccess.Debug, NotLogged),
        Get("/debug/pprof/threadcreate", NoProfile, ResponseKind.V1, RouteAccess.Debug, NotLogged),

        // Not in the Go original: the Prometheus scrape, GET only like the queries. Scrapes come every few seconds,
        // so they are not access-logged.
        Get("/metrics", null, ResponseKind.Metrics, RouteAccess.Read, NotLogged),
    ];

    private static ValueTask<ApiResult> NoProfile(HttpApi api, RequestTarget target) => new(ApiResult.Fail(404, ApiErrors.NotFound));

    private static RouteRow Get(string path, RouteHandler? handler, ResponseKind response, RouteAccess access, bool accessLogged) =>
        new(HttpMethods.Get, path, handler, response, access, accessLogged);

    private static RouteRow Post(string path, RouteHandler? handler, ResponseKind response, RouteAccess access, bool accessLogged) =>
        new(HttpMethods.Post, path, handler, response, access, accessLogged);
}
