using System.Globalization;
using System.Net;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Metrics;

/// <summary>
/// The daemon binary (its own process, so that the test host's other tests cannot slow its scrapes past the 1 s
/// timeout), scraped every second by a real Prometheus loading deploy/prometheus's rules, in two jobs: <c>nsqlookupd</c>
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

    public ProcessRunner.Running Daemon { get; private set; } = null!;

    public IPEndPoint TcpEndPoint { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public TextFormatProxy Proxy { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public static string[] Jobs => [OpenMetricsJob, TextJob];

    public async Task InitializeAsync()
    {
        Daemon = DaemonProcess.Start(
            "--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--max-tcp-connections=4", "--http-admin-allow=192.0.2.0/24");
        var (tcp, http) = await DaemonProcess.WaitListeningAsync(Daemon);
        TcpEndPoint = new IPEndPoint(IPAddress.Loopback, tcp.Port);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http.Port}"), Timeout = TestDaemon.Timeout };
        Proxy = new TextFormatProxy(http.Port);
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
                  - targets: ["127.0.0.1:{http.Port}"]
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

        Http?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync(); // kills the process it started
        }
    }

    private async Task MakeTrafficAsync()
    {
        var a = await IdentifiedAsync();
        (await a.CommandAsync("REGISTER t1 c1\n")).Should().Be("OK");
        (await a.CommandAsync("REGISTER t1 c2\n")).Should().Be("OK");
        var b = await IdentifiedAsync();
        (await b.CommandAsync("REGISTER t2\n")).Should().Be("OK");

        for (var i = 0; i < ProtocolErrors; i++)
        {
            // The daemon runs with a limit of 4 connections: each refused one must be gone before the next connects.
            await Eventually.TrueAsync(async () => await DaemonValueAsync("nsqlookupd_tcp_connections_open") == 2);
            await using var v2 = await TestClient.ConnectAsync(TcpEndPoint);
            (await v2.CommandAsync("  V2")).Should().Be("E_BAD_PROTOCOL");
        }

        for (var i = 0; i < 3; i++)
        {
            (await StatusAsync(HttpMethod.Get, "/ping")).Should().Be(200);
        }

        (await StatusAsync(HttpMethod.Get, "/lookup?topic=t1")).Should().Be(200);
        (await StatusAsync(HttpMethod.Get, "/lookup?topic=none")).Should().Be(404);
        (await StatusAsync(HttpMethod.Post, "/topic/create?topic=x")).Should().Be(403);

        // Fill the connection limit (2 producers + 2), then one more is rejected at accept.
        await Eventually.TrueAsync(async () => await DaemonValueAsync("nsqlookupd_tcp_connections_open") == 2);
        await using var c = await TestClient.ConnectAsync(TcpEndPoint);
        await using var d = await TestClient.ConnectAsync(TcpEndPoint);
        await Eventually.TrueAsync(async () => await DaemonValueAsync("nsqlookupd_tcp_connections_open") == 4);
        await using var rejected = await TestClient.ConnectAsync(TcpEndPoint);
        await Eventually.TrueAsync(async () => await DaemonValueAsync("nsqlookupd_tcp_connections_rejected_total") == 1);
    }

    private async Task<TestClient> IdentifiedAsync()
    {
        var client = await TestClient.ConnectAsync(TcpEndPoint);
        _producers.Add(client);
        await client.SendAsync(TestClient.Magic);
        await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        (await client.ReadFrameAsync()).Should().StartWith("{");
        return client;
    }

    private async Task<int> StatusAsync(HttpMethod method, string url)
    {
        using var request = new HttpRequestMessage(method, url);
        using var reply = await Http.SendAsync(request).WaitAsync(TestDaemon.Timeout);
        return (int)reply.StatusCode;
    }

    private async Task<double?> DaemonValueAsync(string name) =>
        Scrape.Parse(await Http.GetStringAsync("/metrics").WaitAsync(TestDaemon.Timeout)).Value(name);
}
