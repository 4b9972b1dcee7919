using Microsoft.AspNetCore.Http.Features;
using NsqLookup.Metrics;
using NsqLookup.Persistence;
using NsqLookup.Prometheus;
using NsqLookup.Registry;
using NsqLookup.Security;

namespace NsqLookup.Http;

/// <summary>
/// The HTTP API (nsqlookupd/http.go with internal/http_api): routes on the raw request target through the table in
/// <c>HttpApi.Routes.cs</c>, answers in the Go original's "V1" format and writes its access-log line. The handlers
/// live in the partial files <c>HttpApi.Queries.cs</c> (GET) and <c>HttpApi.Mutations.cs</c> (POST). Every request is counted and timed
/// under its route template (<c>other</c> when no route matched exactly), after the response is written.
/// </summary>
internal sealed partial class HttpApi
{
    /// <summary>The metrics label of a request no route matched exactly (404, redirects, unparsable targets).</summary>
    private const string OtherRoute = "other";

    private readonly RegistrationDB _db;
    private readonly TimeProvider _time;
    private readonly ILogger<HttpApi> _logger;
    private readonly NsqLookupMetrics _metrics;
    private readonly MetricsEndpoint _metricsEndpoint;
    private readonly AdminAccessPolicy _admin;
    private readonly IAdminJournal _journal;

    // The encoded /topics, /lookup and /nodes answers, kept while the registry's version stamps say they are current.
    private readonly AnswerCache _answers;

    public HttpApi(
        RegistrationDB db,
        TimeProvider time,
        ILogger<HttpApi> logger,
        NsqLookupMetrics metrics,
        MetricsEndpoint metricsEndpoint,
        AdminAccessPolicy admin,
        IAdminJournal journal)
    {
        _journal = journal;
        _db = db;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _metricsEndpoint = metricsEndpoint;
        _admin = admin;
        _answers = new AnswerCache(db);
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = _time.GetTimestamp();
        var response = context.Response;
        var route = OtherRoute;
        try
        {
            route = await ServeAsync(context, start).ConfigureAwait(false);
        }
        finally
        {
            _metrics.HttpRequest(route, response.StatusCode, _time.GetElapsedTime(start));
        }
    }

    /// <summary>Answers the request; returns the route label for the metrics.</summary>
    private async Task<string> ServeAsync(HttpContext context, long start)
    {
        var response = context.Response;
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        switch (await DiscardBodyAsync(context).ConfigureAwait(false))
        {
            case BodyOutcome.Gone:
                return OtherRoute;
            case BodyOutcome.Refused:
                // A refusal is access-logged like every other (413 over the cap, 400 for a malformed chunked body).
                var logged = RequestTarget.TryParse(rawTarget, out var parsed) ? parsed : new RequestTarget(rawTarget, "", false);
                LogRequest(context, response.StatusCode, context.Request.Method, rawTarget, logged, start);
                return OtherRoute;
        }

        if (rawTarget == "*")
        {
            // OPTIONS * never reaches the router in Go: net/http answers it with an empty 200 itself.
            ResponseWriter.WriteOptions(response, null);
            return OtherRoute;
        }

        if (!RequestTarget.TryParse(rawTarget, out var target))
        {
            await ResponseWriter.WriteBadRequestAsync(response).ConfigureAwait(false);
            return OtherRoute;
        }

        try
        {
            return await DispatchAsync(context, rawTarget, target, start).ConfigureAwait(false);
        }
        finally
        {
            // Go's net/http server warns after every request whose query has a ';' (golang.org/issue/25192).
            if (target.RawQuery.Contains(';', StringComparison.Ordinal))
            {
                LogQuerySemicolon();
            }
        }
    }

    /// <summary>
    /// Bodies carry nothing (docs/protocol.md, "HTTP (port 4161)") but are read and discarded before answering, so
    /// that one over <c>--http-max-body-size</c> is answered 413 ("Deliberate differences" item 2) instead of being cut
    /// off after the answer, and a malformed chunked body 400.
    /// </summary>
    private static async Task<BodyOutcome> DiscardBodyAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return BodyOutcome.Read;
        }

        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
            return BodyOutcome.Read;
        }
        catch (BadHttpRequestException ex)
        {
            return Refuse(context, ex.StatusCode); // 413, or 400 for a malformed chunked body
        }
        catch (IOException ex) when (ex.InnerException is OverflowException)
        {
            // A chunk size of 0x80000000 or more: Kestrel's chunked reader reports the int overflow as an IOException
            // (not as the BadHttpRequestException of every other bad chunk size), which is no client gone away.
            return Refuse(context, StatusCodes.Status400BadRequest);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return BodyOutcome.Gone; // the client went away mid-body
        }
    }

    private static BodyOutcome Refuse(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Connection = "close";
        return BodyOutcome.Refused;
    }

    private async Task<string> DispatchAsync(HttpContext context, string rawTarget, RequestTarget target, long start)
    {
        var response = context.Response;
        var method = context.Request.Method;
        var decision = Router.Default.Resolve(method, target.Path);

        // Handle, OPTIONS and 405 mean the path is exactly a route's: a bounded set of label values.
        var route = decision.Kind is RouteDecisionKind.Handle or RouteDecisionKind.Options or RouteDecisionKind.MethodNotAllowed
            ? target.Path
            : OtherRoute;
        ApiResult result;
        switch (decision.Kind)
        {
            // Only a request that would reach a handler is checked: 404, 405, OPTIONS and the redirects stay exactly
            // the Go original's (a redirect's target is checked when the client follows it).
            case RouteDecisionKind.Handle when decision.Row!.Access != RouteAccess.Read && !_admin.IsAllowed(context):
                result = ApiResult.Fail(403, ApiErrors.Forbidden);
                break;
            case RouteDecisionKind.Handle:
                await ServeRowAsync(context, decision.Row!, rawTarget, target, start).ConfigureAwait(false);
                return route;
            case RouteDecisionKind.Redirect:
                var url = target.HasQuery ? decision.Location + "?" + target.RawQuery : decision.Location!;
                await ResponseWriter.WriteRedirectAsync(response, method == HttpMethods.Get, url).ConfigureAwait(false);
                return route;
            case RouteDecisionKind.Options:
                ResponseWriter.WriteOptions(response, decision.Allow);
                return route;
            case RouteDecisionKind.MethodNotAllowed:
                response.Headers.Allow = decision.Allow;
                result = ApiResult.Fail(405, ApiErrors.MethodNotAllowed);
                break;
            default:
                result = ApiResult.Fail(404, ApiErrors.NotFound);
                break;
        }

        LogRequest(context, result.Status, method, rawTarget, target, start);
        await ResponseWriter.WriteV1Async(response, result).ConfigureAwait(false);
        return route;
    }

    /// <summary>Runs a row's handler and writes its answer the way the row's response kind says.</summary>
    private async Task ServeRowAsync(HttpContext context, RouteRow row, string rawTarget, RequestTarget target, long start)
    {
        var response = context.Response;
        switch (row.Response)
        {
            case ResponseKind.PprofIndex:
                await ResponseWriter.WritePprofIndexAsync(response).ConfigureAwait(false);
                break;
            case ResponseKind.Metrics:
                await _metricsEndpoint.WriteAsync(context).ConfigureAwait(false);
                break;
            default:
                var result = await InvokeAsync(row.Handler!, target).ConfigureAwait(false);
                if (row.AccessLogged)
                {
                    LogRequest(context, result.Status, context.Request.Method, rawTarget, target, start);
                }

                await (row.Response == ResponseKind.Text && result.Status == 200
                    ? ResponseWriter.WritePingAsync(response)
                    : ResponseWriter.WriteV1Async(response, result)).ConfigureAwait(false);
                return;
        }

        if (row.AccessLogged)
        {
            LogRequest(context, response.StatusCode, context.Request.Method, rawTarget, target, start);
        }
    }

    private async ValueTask<ApiResult> InvokeAsync(RouteHandler handler, RequestTarget target)
    {
        try
        {
            return await handler(this, target).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the Go original's PanicHandler: any handler failure becomes a logged 500, the server keeps serving
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPanic(ex.Message);
            return ApiResult.Fail(500, ApiErrors.InternalError);
        }
    }

    /// <summary>What every route that takes a topic checks first, in the Go original's order: the query parses
    /// (else <c>INVALID_REQUEST</c>), then <c>topic</c> is present (else <c>MISSING_ARG_TOPIC</c>). Null when both hold.</summary>
    private static ApiResult? TopicArg(RequestTarget target, out QueryParameters query, out string topic)
    {
        topic = "";
        if (!TryParams(target, out query))
        {
            return ApiResult.Fail(400, ApiErrors.InvalidRequest);
        }

        if (!query.TryGet("topic", out var value))
        {
            return ApiResult.Fail(400, ApiErrors.MissingArgTopic);
        }

        topic = value;
        return null;
    }

    /// <summary><c>http_api.NewReqParams</c>: only the query string counts (the body is ignored).</summary>
    private static bool TryParams(RequestTarget target, out QueryParameters parameters)
    {
        var ok = QueryParameters.TryParse(target.RawQuery, out var parsed);
        parameters = parsed!;
        return ok;
    }

    /// <summary>What became of a request's body.</summary>
    private enum BodyOutcome
    {
        /// <summary>Read to its end (or there was none): the request is served.</summary>
        Read,

        /// <summary>Refused (413 or 400, status set, connection to close): answered without a handler.</summary>
        Refused,

        /// <summary>The client went away mid-body: nothing to answer.</summary>
        Gone,
    }
}
