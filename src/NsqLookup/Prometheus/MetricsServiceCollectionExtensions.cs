using NsqLookup.Http;
using NsqLookup.Metrics;

namespace NsqLookup.Prometheus;

/// <summary>The metrics pipeline: our <see cref="NsqLookupMetrics"/> meter plus the runtime's own
/// <c>System.Runtime</c> meter (CPU, working set, GC, thread pool), collected by <see cref="MetricsCollector"/> for
/// <c>GET /metrics</c>.</summary>
internal static class MetricsServiceCollectionExtensions
{
    public static IServiceCollection AddNsqLookupMetrics(this IServiceCollection services)
    {
        services.AddSingleton(sp => new NsqLookupMetrics(
            sp.GetRequiredService<Registry.RegistrationDB>(),
            sp.GetService<Logging.LogSink>() is { } sink ? () => sink.Dropped : null));
        services.AddSingleton(sp => new MetricsCollector(sp.GetRequiredService<NsqLookupMetrics>(), RefusableRoutes()));
        services.AddSingleton(sp => new MetricsEndpoint(sp.GetRequiredService<MetricsCollector>()));
        return services;
    }

    /// <summary>The admin and debug routes: a 403 there is what NsqlookupdAdminRequestsRefused alerts on.</summary>
    private static IEnumerable<string> RefusableRoutes() =>
        HttpApi.Routes.Where(r => r.Access != RouteAccess.Read).Select(r => r.Path).Distinct(StringComparer.Ordinal);
}
