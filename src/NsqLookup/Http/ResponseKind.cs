namespace NsqLookup.Http;

/// <summary>How a route's answer is written (internal/http_api's decorators in the Go original).</summary>
internal enum ResponseKind
{
    /// <summary><c>http_api.V1</c>: the handler's JSON document, or <c>{"message":"..."}</c> with its status.</summary>
    V1,

    /// <summary><c>/ping</c>: <c>OK</c> as plain text on success, V1 otherwise.</summary>
    Text,

    /// <summary>The pprof index page (HTML); the route has no handler.</summary>
    PprofIndex,

    /// <summary>The Prometheus scrape (not in the Go original); the route has no handler.</summary>
    Metrics,
}
