using NsqLookup.Http;
using NsqLookup.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NsqLookup;

/// <summary>The metrics pipeline: our <see cref="NsqLookupMetrics"/> meter plus the runtime's own
/// <c>System.Runtime</c> meter (CPU, working set, GC, thread pool), exported for <c>GET /metrics</c>.</summary>
internal static class MetricsServiceCollectionExtensions
{
    /// <summary>The runtime's built-in meter (.NET 9+): process and GC metrics without an instrumentation package.</summary>
    private const string RuntimeMeterName = "System.Runtime";

    public static IServiceCollection AddNsqLookupMetrics(this IServiceCollection services)
    {
        services.AddSingleton<NsqLookupMetrics>();
        services.AddSingleton(sp => BuildMeterProvider(sp.GetRequiredService<NsqLookupMetrics>()));
        services.AddSingleton<MetricsEndpoint>();
        return services;
    }

    private static MeterProvider BuildMeterProvider(NsqLookupMetrics metrics) => Sdk.CreateMeterProviderBuilder()
        .AddMeter(NsqLookupMetrics.MeterName, RuntimeMeterName)

        // Meters are matched by name, process-wide; keep to this daemon's (tests run several in one process).
        .AddView(instrument => instrument.Meter.Name == NsqLookupMetrics.MeterName && instrument.Meter != metrics.Meter
            ? MetricStreamConfiguration.Drop
            : new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit(instrument.Name) })
        .AddPrometheusExporter(options =>
        {
            // Every scrape sees the values of that moment (the default caches a scrape for 300 ms).
            options.ScrapeResponseCacheDurationMilliseconds = 0;

            // No target_info / otel_scope_* noise: Prometheus adds job and instance itself.
            options.TargetInfoEnabled = false;
            options.ScopeInfoEnabled = false;
        })
        .Build();

    /// <summary>
    /// The label sets an instrument can have, with room to spare. The SDK allocates every instrument's table of points
    /// up front, 2,000 by default: for the ~35 instruments here that was ~8 ms of the startup and ~1.7 MiB of idle RSS
    /// (bench/FOOTPRINT.md). A label set past the limit is still counted, under <c>otel_metric_overflow="true"</c>.
    /// </summary>
    internal static int CardinalityLimit(string instrument) => instrument switch
    {
        // route (22 routes + "other") x status
        "nsqlookupd.http.requests" => 512,
        "nsqlookupd.http.request.duration" => 64,

        // System.Runtime's: by exception type
        "dotnet.exceptions" => 64,

        // the rest: no labels, or a handful (command, error code, category, GC generation, CPU mode)
        _ => 16,
    };
}
