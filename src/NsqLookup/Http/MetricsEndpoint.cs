using System.Text;
using NsqLookup.Metrics;

namespace NsqLookup.Http;

/// <summary>
/// <c>GET /metrics</c>, reached through our router like every other route (so it gets httprouter's
/// 405/Allow/OPTIONS/redirect rules). The format follows <c>Accept</c>: Prometheus text 0.0.4 by default, OpenMetrics
/// 1.0 when the scraper asks for <c>application/openmetrics-text</c> (Prometheus does, first).
/// </summary>
internal sealed class MetricsEndpoint(MetricsCollector collector)
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var openMetrics = AcceptsOpenMetrics(context.Request.Headers.Accept);
        var body = Encoding.UTF8.GetBytes(collector.Scrape(openMetrics));
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = openMetrics ? OpenMetricsContentType : TextContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    internal static bool AcceptsOpenMetrics(Microsoft.Extensions.Primitives.StringValues accept)
    {
        foreach (var value in accept)
        {
            if (value is not null && value.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
