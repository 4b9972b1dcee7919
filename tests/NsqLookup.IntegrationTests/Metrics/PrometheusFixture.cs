using System.Globalization;
using NsqLookup.IntegrationTests.Infrastructure;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Metrics;

/// <summary>
/// The daemon, scraped every second by a real Prometheus loading deploy/prometheus's rules, in two jobs: <c>nsqlookupd</c>
/// scrapes the daemon itself (Prometheus asks for OpenMetrics and gets it) and <c>nsqlookupd-text</c> scrapes it through
/// <see cref="TextFormatProxy"/> (text 0.0.4). Once both targets are up, known traffic: two producers with their
/// registrations, protocol errors, HTTP requests (3 × /ping, 2 × /lookup, a refused admin request) and a connection
/// rejected at <c>--max-tcp-connections</c>; the traffic comes after the first scrapes so that rate() and the alerts on
/// increase() see it happen.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    public const string OpenMetricsJob = "nsqlookupd";
    public const string TextJob = "nsqlookupd-text";
    public const int ProtocolErrors = 11; // one more than NsqlookupdProtocolErrorsBurst tolerates

    private readonly List<TestClient> _producers = [];

    public TestDaemon Daemon { get; private set; } = null!;

    public TextFormatProxy Proxy { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public static string[] Jobs => [OpenMetricsJob, TextJob];

    public async Task InitializeAsync()
    {
        Daemon = await TestDaemon.StartAsync(null, o => o with { MaxTcpConnections = 4, HttpAdminAllow = ["192.0.2.0/24"] });
        Proxy = new TextFormatProxy(Daemon.HttpPort);
        var rules = Path.Combine(RepoPaths.Root, "deploy", "prometheus", "nsqlookupd-alerts.yml");
        Prometheus = await PrometheusServer.StartAsync(string.Create(CultureInfo.InvariantCulture, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - "{rules}"
            scrape_configs:
              - job_name: {OpenMetricsJob}
                static_configs:
                  - targets: ["127.0.0.1:{Daemon.HttpPort}"]
              - job_name: {TextJob}
                static_configs:
                  - targets: ["127.0.0.1:{Proxy.Port}"]
            """));

        await Eventually.TrueAsync(
            async () => (await Prometheus.QueryAsync("up == 1")).Length == 2 && (await Prometheus.QueryAsync("nsqlookupd_tcp_connections_rejected_total == 0")).Length == 2,
            PrometheusServer.Timeout);
        await MakeTrafficAsync();

        // Both jobs have scraped all of it.
        await Eventually.TrueAsync(
            async () => (await Prometheus.QueryAsync("nsqlookupd_producers == 2")).Length == 2
                && (await Prometheus.QueryAsync("nsqlookupd_tcp_connections_rejected_total == 1")).Length == 2
                && (await Prometheus.QueryAsync($"nsqlookupd_protocol_errors_total{{code=\"E_BAD_PROTOCOL\"}} == {ProtocolErrors}")).Length == 2
                && (await Prometheus.QueryAsync("nsqlookupd_http_request_duration_seconds_count{route=\"/lookup\"} == 2")).Length == 2,
            PrometheusServer.Timeout);
    }

    public async Task DisposeAsync()
    {
        foreach (var producer in _producers)
        {
            await producer.DisposeAsync();
        }

        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }
    }

    private async Task MakeTrafficAsync()
    {
        var a = await Daemon.ConnectIdentifiedAsync();
        _producers.Add(a);
        (await a.CommandAsync("REGISTER t1 c1\n")).Should().Be("OK");
        (await a.CommandAsync("REGISTER t1 c2\n")).Should().Be("OK");
        var b = await Daemon.ConnectIdentifiedAsync();
        _producers.Add(b);
        (await b.CommandAsync("REGISTER t2\n")).Should().Be("OK");

        for (var i = 0; i < ProtocolErrors; i++)
        {
            await using var v2 = await Daemon.ConnectAsync();
            (await v2.CommandAsync("  V2")).Should().Be("E_BAD_PROTOCOL");
        }

        for (var i = 0; i < 3; i++)
        {
            (await GetAsync(Daemon, "/ping")).Status.Should().Be(200);
        }

        (await GetAsync(Daemon, "/lookup?topic=t1")).Status.Should().Be(200);
        (await GetAsync(Daemon, "/lookup?topic=none")).Status.Should().Be(404);
        (await PostAsync(Daemon, "/topic/create?topic=x")).Status.Should().Be(403);

        // Fill the connection limit (2 producers + 2), then one more is rejected at accept.
        await Eventually.TrueAsync(async () => Scrape.Parse((await GetAsync(Daemon, "/metrics")).Text).Value("nsqlookupd_tcp_connections_open") == 2);
        await using var c = await Daemon.ConnectAsync();
        await using var d = await Daemon.ConnectAsync();
        await Eventually.TrueAsync(async () => Scrape.Parse((await GetAsync(Daemon, "/metrics")).Text).Value("nsqlookupd_tcp_connections_open") == 4);
        await using var rejected = await Daemon.ConnectAsync();
        await Eventually.TrueAsync(async () => Scrape.Parse((await GetAsync(Daemon, "/metrics")).Text).Value("nsqlookupd_tcp_connections_rejected_total") == 1);
    }
}
