using OpenTelemetry.Metrics;

namespace NsqLookup.Http;

/// <summary>
/// <c>GET /metrics</c>: the OpenTelemetry Prometheus exporter's scrape handler, reached through our router rather than
/// mounted on the host's pipeline, so <c>/metrics</c> gets httprouter's 405/Allow/OPTIONS/redirect rules like every
/// other route. (The exporter's middleware type is internal; a one-branch pipeline is its public way in.) The
/// exporter negotiates the format from <c>Accept</c>: Prometheus text 0.0.4 by default, OpenMetrics on request.
/// </summary>
internal sealed class MetricsEndpoint
{
    private readonly RequestDelegate _scrape;

    public MetricsEndpoint(IServiceProvider services, MeterProvider meterProvider)
    {
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider, predicate: static _ => true, path: null, configureBranchedPipeline: null, optionsName: null);
        _scrape = pipeline.Build();
    }

    public Task WriteAsync(HttpContext context) => _scrape(context);
}
