using System.Text.Json;
using System.Text.RegularExpressions;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Metrics;

/// <summary>A real Prometheus (Debian's 2.42) scraping the daemon every second, asked through its HTTP API: targets up,
/// the directory gauges and the HTTP histogram as the traffic left them, in the OpenMetrics and the text exposition;
/// deploy/prometheus's rules evaluated by it; deploy/grafana's every panel query answered by it.</summary>
public sealed partial class PrometheusTests(PrometheusFixture fixture) : IClassFixture<PrometheusFixture>
{
    private PrometheusServer Prometheus => fixture.Prometheus;

    [Fact]
    public async Task BothTargetsAreUp()
    {
        JsonElement[] targets = [];
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    targets = [.. (await Prometheus.ApiAsync("/api/v1/targets?state=active")).GetProperty("activeTargets").EnumerateArray()];
                    return targets.Length == 2 && targets.All(t => t.GetProperty("health").GetString() == "up");
                },
                PrometheusServer.Timeout);
        }
        catch (TimeoutException)
        {
        }

        targets.Select(t => t.GetProperty("labels").GetProperty("job").GetString()).Should().BeEquivalentTo(PrometheusFixture.Jobs);
        targets.Should().OnlyContain(t => t.GetProperty("health").GetString() == "up", "every target answers: {0}", string.Join(", ", targets.Select(t => t.GetProperty("lastError").GetString())));
        foreach (var job in PrometheusFixture.Jobs)
        {
            (await Prometheus.ValueAsync($"up{{job=\"{job}\"}} == 1")).Should().Be(1);
        }
    }

    [Theory]
    [InlineData(PrometheusFixture.OpenMetricsJob)]
    [InlineData(PrometheusFixture.TextJob)]
    public async Task DirectoryGaugesAndHttpHistogram_HoldTheTraffic(string job)
    {
        var j = $"job=\"{job}\"";

        (await Prometheus.ValueAsync($"nsqlookupd_producers{{{j}}}")).Should().Be(2);
        (await Prometheus.ValueAsync($"nsqlookupd_topics{{{j}}}")).Should().Be(2);
        (await Prometheus.ValueAsync($"nsqlookupd_channels{{{j}}}")).Should().Be(2);
        (await Prometheus.ValueAsync($"nsqlookupd_registrations{{{j}, category=\"client\"}}")).Should().Be(2);
        (await Prometheus.ValueAsync($"nsqlookupd_registrations{{{j}, category=\"topic\"}}")).Should().Be(2);
        (await Prometheus.ValueAsync($"nsqlookupd_registrations{{{j}, category=\"channel\"}}")).Should().Be(2);

        (await Prometheus.ValueAsync($"nsqlookupd_http_request_duration_seconds_count{{{j}, route=\"/ping\"}}")).Should().Be(3);
        (await Prometheus.ValueAsync($"nsqlookupd_http_request_duration_seconds_bucket{{{j}, route=\"/ping\", le=\"+Inf\"}}")).Should().Be(3);
        (await Prometheus.ValueAsync($"nsqlookupd_http_request_duration_seconds_bucket{{{j}, route=\"/ping\", le=\"10\"}}")).Should().Be(3);
        (await Prometheus.ValueAsync($"nsqlookupd_http_request_duration_seconds_sum{{{j}, route=\"/ping\"}}")).Should().BeGreaterThan(0).And.BeLessThan(30);
        (await Prometheus.ValueAsync($"nsqlookupd_http_request_duration_seconds_count{{{j}, route=\"/lookup\"}}")).Should().Be(2);
        (await Prometheus.QueryAsync($"nsqlookupd_http_request_duration_seconds_bucket{{{j}, route=\"/ping\"}}")).Should().HaveCount(15); // 14 bounds and +Inf
        var median = await Prometheus.ValueAsync($"histogram_quantile(0.5, sum by (le) (nsqlookupd_http_request_duration_seconds_bucket{{{j}, route=\"/ping\"}}))");
        median.Should().BeInRange(0, 10);

        (await Prometheus.ValueAsync($"nsqlookupd_http_requests_total{{{j}, route=\"/ping\", status=\"200\"}}")).Should().Be(3);
        (await Prometheus.ValueAsync($"nsqlookupd_http_requests_total{{{j}, route=\"/topic/create\", status=\"403\"}}")).Should().Be(1);
        (await Prometheus.ValueAsync($"nsqlookupd_tcp_connections_rejected_total{{{j}}}")).Should().Be(1);
        (await Prometheus.ValueAsync($"nsqlookupd_protocol_errors_total{{{j}, code=\"E_BAD_PROTOCOL\"}}")).Should().Be(PrometheusFixture.ProtocolErrors);
        (await Prometheus.ValueAsync($"dotnet_thread_pool_threads{{{j}}}")).Should().BeGreaterThan(0);
    }

    /// <summary>Which exposition each job ingested: OpenMetrics carries units (the target metadata has
    /// <c>unit: seconds</c>) and names a counter's family without <c>_total</c>; the text format has neither. The proxy
    /// saw Prometheus ask for OpenMetrics first and served text.</summary>
    [Fact]
    public async Task TheDirectJobIngestsOpenMetrics_AndTheProxiedJobText()
    {
        (await MetadataAsync(PrometheusFixture.OpenMetricsJob, "nsqlookupd_http_request_duration_seconds")).GetProperty("unit").GetString().Should().Be("seconds");
        (await MetadataAsync(PrometheusFixture.TextJob, "nsqlookupd_http_request_duration_seconds")).GetProperty("unit").GetString().Should().BeEmpty();
        (await MetadataAsync(PrometheusFixture.OpenMetricsJob, "nsqlookupd_http_requests")).GetProperty("type").GetString().Should().Be("counter");
        (await MetadataAsync(PrometheusFixture.TextJob, "nsqlookupd_http_requests_total")).GetProperty("type").GetString().Should().Be("counter");
        (await MetadataAsync(PrometheusFixture.OpenMetricsJob, "dotnet_thread_pool_threads")).GetProperty("type").GetString().Should().Be("gauge");

        var scrapes = fixture.Proxy.Scrapes;
        scrapes.Should().NotBeEmpty();
        scrapes.Should().OnlyContain(s => s.Accept.StartsWith("application/openmetrics-text", StringComparison.Ordinal));
        scrapes.Should().OnlyContain(s => s.ContentType == "text/plain; version=0.0.4; charset=utf-8");
    }

    /// <summary>deploy/prometheus's rules, loaded by the server: every rule evaluates without error, and the events
    /// of the traffic (a connection rejected at the limit, a refused admin request, a burst of E_BAD_PROTOCOL) make
    /// their alerts active for both jobs.</summary>
    [Fact]
    public async Task AlertingRules_EvaluateCleanly_AndTheTrafficsEventsActivateTheirAlerts()
    {
        string[] expected = ["NsqlookupdTcpConnectionLimitReached", "NsqlookupdAdminRequestsRefused", "NsqlookupdProtocolErrorsBurst"];
        JsonElement[] alerts = [];
        await Eventually.TrueAsync(
            async () =>
            {
                alerts = [.. (await Prometheus.ApiAsync("/api/v1/alerts")).GetProperty("alerts").EnumerateArray()];
                return expected.All(name => PrometheusFixture.Jobs.All(job => alerts.Any(a => Label(a, "alertname") == name && Label(a, "job") == job)));
            },
            PrometheusServer.Timeout);

        alerts.Where(a => Label(a, "alertname") == "NsqlookupdProtocolErrorsBurst").Should().OnlyContain(a => Label(a, "code") == "E_BAD_PROTOCOL");
        alerts.Select(a => Label(a, "alertname")).Should().NotContain(["NsqlookupdDown", "NsqlookupdNoProducers", "NsqlookupdMemoryGrowth", "NsqlookupdTcpConnectionsRefused", "NsqlookupdHttpConnectionLimitReached"]);

        var rules = (await Prometheus.ApiAsync("/api/v1/rules")).GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToArray();
        rules.Should().HaveCount(10);
        rules.Should().OnlyContain(r => r.GetProperty("health").GetString() == "ok", string.Join("; ", rules.Select(r => r.GetProperty("name") + ": " + (r.TryGetProperty("lastError", out var e) ? e.GetString() : ""))));
    }

    /// <summary>deploy/grafana's dashboard: its template variables resolve to both jobs, and every panel query, with
    /// the variables substituted as Grafana would (all values), returns at least one series for each job.</summary>
    [Fact]
    public async Task EveryDashboardPanelQuery_ReturnsData()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "grafana", "nsqlookupd.json")));
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToArray();
        variables.Should().BeEquivalentTo(["datasource", "job", "instance"]);
        var jobs = (await Prometheus.ApiAsync("/api/v1/label/job/values?match[]=nsqlookupd_producers")).EnumerateArray().Select(j => j.GetString()).ToArray();
        jobs.Should().BeEquivalentTo(PrometheusFixture.Jobs);

        var exprs = Panels(dashboard.RootElement)
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!)))
            .ToArray();
        exprs.Length.Should().BeGreaterThan(15);

        foreach (var job in PrometheusFixture.Jobs)
        {
            foreach (var (panel, expr) in exprs)
            {
                var query = expr.Replace("$__rate_interval", "15s", StringComparison.Ordinal)
                    .Replace("$job", Regex.Escape(job), StringComparison.Ordinal)
                    .Replace("$instance", ".+", StringComparison.Ordinal);
                query.Should().NotContain("$", $"every variable of '{panel}' is known");
                JsonElement[] result = [];
                try
                {
                    await Eventually.TrueAsync(async () => (result = await Prometheus.QueryAsync(query)).Length > 0, PrometheusServer.Timeout);
                }
                catch (TimeoutException)
                {
                }

                result.Should().NotBeEmpty($"panel '{panel}' query {query} returns data");
            }
        }
    }

    private static string? Label(JsonElement alert, string name) =>
        alert.GetProperty("labels").TryGetProperty(name, out var value) ? value.GetString() : null;

    private static IEnumerable<JsonElement> Panels(JsonElement root) =>
        root.GetProperty("panels").EnumerateArray().SelectMany(p => p.TryGetProperty("panels", out var inner) ? inner.EnumerateArray().Prepend(p) : [p])
            .Where(p => p.TryGetProperty("targets", out _));

    private async Task<JsonElement> MetadataAsync(string job, string metric)
    {
        var data = await Prometheus.ApiAsync("/api/v1/targets/metadata?metric=" + metric + "&match_target=" + Uri.EscapeDataString($"{{job=\"{job}\"}}"));
        data.GetArrayLength().Should().Be(1, $"{job} has metadata for {metric}");
        return data[0];
    }
}
