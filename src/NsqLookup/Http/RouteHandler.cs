namespace NsqLookup.Http;

/// <summary>A route's handler: the Go original's <c>APIHandler</c>, given the parsed request target.</summary>
internal delegate ValueTask<ApiResult> RouteHandler(HttpApi api, RequestTarget target);
