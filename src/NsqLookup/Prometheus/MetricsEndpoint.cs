using System.Text;

namespace NsqLookup.Prometheus;

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

    /// <summary>OpenMetrics when an <c>application/openmetrics-text</c> range is acceptable (q above 0) and weighs at
    /// least as much as the best <c>text/plain</c> range; a bare <c>*/*</c> or no header gets text 0.0.4.</summary>
    internal static bool AcceptsOpenMetrics(Microsoft.Extensions.Primitives.StringValues accept)
    {
        double openMetrics = 0, text = 0;
        foreach (var value in accept)
        {
            foreach (var range in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var parameters = range.Split(';', StringSplitOptions.TrimEntries);
                var quality = Quality(parameters);
                if (parameters[0].Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
                {
                    openMetrics = Math.Max(openMetrics, quality);
                }
                else if (parameters[0].Equals("text/plain", StringComparison.OrdinalIgnoreCase))
                {
                    text = Math.Max(text, quality);
                }
            }
        }

        return openMetrics > 0 && openMetrics >= text;
    }

    private static double Quality(string[] parameters)
    {
        foreach (var parameter in parameters.AsSpan(1))
        {
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
            {
                return double.TryParse(parameter.AsSpan(2), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var q) ? Math.Clamp(q, 0, 1) : 0;
            }
        }

        return 1;
    }
}
