using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Metrics;

/// <summary><c>GET /metrics</c> (not in the Go original): exact values after known traffic, and a route that follows
/// the same httprouter rules as every other.</summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    private const string PrometheusTextType = "text/plain; version=0.0.4; charset=utf-8";

    [Fact]
    public async Task AfterIdentifiesAndRegisters_GaugesAndCountersAreExact()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var a = await daemon.ConnectIdentifiedAsync();
        await using var b = await daemon.ConnectIdentifiedAsync();
        await using var c = await daemon.ConnectIdentifiedAsync();
        (await a.CommandAsync("REGISTER t1 c1\n")).Should().Be("OK");
        (await a.CommandAsync("REGISTER t1 c2\n")).Should().Be("OK");
        (await b.CommandAsync("REGISTER t1 c1\n")).Should().Be("OK");
        (await b.CommandAsync("REGISTER t2\n")).Should().Be("OK");
        (await c.CommandAsync("PING\n")).Should().Be("OK");

        var m = await ScrapeAsync(daemon);

        m.Value("nsqlookupd_tcp_connections_total").Should().Be(3);
        m.Value("nsqlookupd_tcp_connections_open").Should().Be(3);
        m.Value("nsqlookupd_producers").Should().Be(3);
        m.Value("nsqlookupd_topics").Should().Be(2);
        m.Value("nsqlookupd_channels").Should().Be(2);
        m.Value("nsqlookupd_registrations", ("category", "client")).Should().Be(3);
        m.Value("nsqlookupd_registrations", ("category", "topic")).Should().Be(3);
        m.Value("nsqlookupd_registrations", ("category", "channel")).Should().Be(3);
        m.Value("nsqlookupd_commands_total", ("command", "IDENTIFY")).Should().Be(3);
        m.Value("nsqlookupd_commands_total", ("command", "REGISTER")).Should().Be(4);
        m.Value("nsqlookupd_commands_total", ("command", "PING")).Should().Be(1);
        m.Value("nsqlookupd_commands_total", ("command", "UNREGISTER")).Should().Be(0); // known label sets start at 0
        m.Value("nsqlookupd_protocol_errors_total", ("code", "E_INVALID")).Should().Be(0);

        // A disconnect takes its entries with it; the keys stay (docs/protocol.md, "Registration model").
        await a.DisposeAsync();
        await Eventually.TrueAsync(async () => (await ScrapeAsync(daemon)).Value("nsqlookupd_tcp_connections_open") == 2);
        m = await ScrapeAsync(daemon);
        m.Value("nsqlookupd_tcp_connections_total").Should().Be(3);
        m.Value("nsqlookupd_producers").Should().Be(2);
        m.Value("nsqlookupd_topics").Should().Be(2);
        m.Value("nsqlookupd_channels").Should().Be(2);
        m.Value("nsqlookupd_registrations", ("category", "client")).Should().Be(2);
        m.Value("nsqlookupd_registrations", ("category", "topic")).Should().Be(2);
        m.Value("nsqlookupd_registrations", ("category", "channel")).Should().Be(1);
    }

    [Fact]
    public async Task HttpDeletes_AndUnregister_MoveTheGauges()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var a = await daemon.ConnectIdentifiedAsync();
        (await a.CommandAsync("REGISTER t1 c1\n")).Should().Be("OK");
        (await a.CommandAsync("REGISTER t1 c2\n")).Should().Be("OK");
        (await a.CommandAsync("REGISTER t2 c1\n")).Should().Be("OK");
        (await a.CommandAsync("UNREGISTER t1 c2\n")).Should().Be("OK");
        (await PostAsync(daemon, "/channel/delete?topic=t1&channel=c1")).Status.Should().Be(200);
        (await PostAsync(daemon, "/topic/delete?topic=t2")).Status.Should().Be(200);

        var m = await ScrapeAsync(daemon);

        // Left: t1 (entry) with channel key c2 (no entry).
        m.Value("nsqlookupd_topics").Should().Be(1);
        m.Value("nsqlookupd_channels").Should().Be(1);
        m.Value("nsqlookupd_registrations", ("category", "topic")).Should().Be(1);
        m.Value("nsqlookupd_registrations", ("category", "channel")).Should().Be(0);
        m.Value("nsqlookupd_commands_total", ("command", "UNREGISTER")).Should().Be(1);
    }

    [Fact]
    public async Task ProtocolErrors_AreCountedByCode()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using (var bogus = await daemon.ConnectAsync())
        {
            await bogus.SendAsync(TestClient.Magic);
            (await bogus.CommandAsync("BOGUS\n")).Should().Be("E_INVALID invalid command BOGUS");
        }

        await using (var v2 = await daemon.ConnectAsync())
        {
            (await v2.CommandAsync("  V2")).Should().Be("E_BAD_PROTOCOL");
        }

        await using (var badBody = await daemon.ConnectAsync())
        {
            await badBody.SendAsync(TestClient.Magic);
            await badBody.SendAsync(TestClient.Identify("{nope"));
            (await badBody.ReadFrameAsync()).Should().StartWith("E_BAD_BODY");
        }

        await using (var badTopic = await daemon.ConnectIdentifiedAsync())
        {
            (await badTopic.CommandAsync("REGISTER bad$\n")).Should().StartWith("E_BAD_TOPIC");
        }

        var m = await ScrapeAsync(daemon);

        m.Value("nsqlookupd_protocol_errors_total", ("code", "E_INVALID")).Should().Be(1);
        m.Value("nsqlookupd_protocol_errors_total", ("code", "E_BAD_PROTOCOL")).Should().Be(1);
        m.Value("nsqlookupd_protocol_errors_total", ("code", "E_BAD_BODY")).Should().Be(1);
        m.Value("nsqlookupd_protocol_errors_total", ("code", "E_BAD_TOPIC")).Should().Be(1);
        m.Value("nsqlookupd_commands_total", ("command", "IDENTIFY")).Should().Be(2);
        m.Value("nsqlookupd_tcp_connections_total").Should().Be(4);
    }

    [Fact]
    public async Task HttpRequests_AreCountedByRouteAndStatus_WithLatencyBuckets()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "t");
        for (var i = 0; i < 3; i++)
        {
            (await GetAsync(daemon, "/ping")).Status.Should().Be(200);
        }

        (await GetAsync(daemon, "/lookup?topic=t")).Status.Should().Be(200);
        (await GetAsync(daemon, "/lookup?topic=unknown")).Status.Should().Be(404);
        (await GetAsync(daemon, "/no/such/path")).Status.Should().Be(404);
        (await PostAsync(daemon, "/ping")).Status.Should().Be(405);

        var m = await ScrapeAsync(daemon);

        m.Value("nsqlookupd_http_requests_total", ("route", "/ping"), ("status", "200")).Should().Be(3);
        m.Value("nsqlookupd_http_requests_total", ("route", "/ping"), ("status", "405")).Should().Be(1);
        m.Value("nsqlookupd_http_requests_total", ("route", "/lookup"), ("status", "200")).Should().Be(1);
        m.Value("nsqlookupd_http_requests_total", ("route", "/lookup"), ("status", "404")).Should().Be(1);
        m.Value("nsqlookupd_http_requests_total", ("route", "other"), ("status", "404")).Should().Be(1);
        m.Value("nsqlookupd_http_request_duration_seconds_count", ("route", "/ping")).Should().Be(4);
        m.Value("nsqlookupd_http_request_duration_seconds_bucket", ("route", "/ping"), ("le", "+Inf")).Should().Be(4);
        m.Value("nsqlookupd_http_request_duration_seconds_count", ("route", "/lookup")).Should().Be(2);
        m.Value("nsqlookupd_http_request_duration_seconds_sum", ("route", "/lookup")).Should().BeGreaterThan(0);
        m.Buckets("nsqlookupd_http_request_duration_seconds", "/ping").Should().Equal(
            "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf");

        // The scrape itself is counted once it has been answered.
        m = await ScrapeAsync(daemon);
        m.Value("nsqlookupd_http_requests_total", ("route", "/metrics"), ("status", "200")).Should().Be(1);
    }

    [Fact]
    public async Task Metrics_IsGetOnly_WithTheRoutersRules_AndIsNotAccessLogged()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var get = await GetAsync(daemon, "/metrics");
        get.Status.Should().Be(200);
        get.Header("Content-Type").Should().Be(PrometheusTextType);
        get.Header(NsqHeader).Should().BeNull();

        var post = await PostAsync(daemon, "/metrics");
        post.Status.Should().Be(405);
        post.Text.Should().Be("""{"message":"METHOD_NOT_ALLOWED"}""");
        post.Header("Allow").Should().Be("GET, OPTIONS");
        post.Header(NsqHeader).Should().Be(NsqValue);

        var options = await RawAsync(daemon, "OPTIONS /metrics HTTP/1.1");
        options.Status.Should().Be(200);
        options.Header("Allow").Should().Be("GET, OPTIONS");
        options.Body.Should().BeEmpty();
        options.Header("Content-Type").Should().BeNull();

        var head = await RawAsync(daemon, "HEAD /metrics HTTP/1.1");
        head.Status.Should().Be(405);
        head.Header("Allow").Should().Be("GET, OPTIONS");

        var slash = await RawAsync(daemon, "GET /metrics/ HTTP/1.1");
        slash.Status.Should().Be(301);
        slash.Header("Location").Should().Be("/metrics");
        (await RawAsync(daemon, "GET /METRICS HTTP/1.1")).Header("Location").Should().Be("/metrics");
        (await RawAsync(daemon, "PUT /metrics/ HTTP/1.1")).Status.Should().Be(404);

        // Scrapes are not access-logged (405s and 404s are, like every route's).
        daemon.Logs.Lines.Should().NotContain(line => line.Contains("200 GET /metrics", StringComparison.Ordinal));
        daemon.Logs.Lines.Should().Contain(line => line.Contains("405 POST /metrics", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessMetrics_ComeFromTheRuntimeMeter()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var m = await ScrapeAsync(daemon);

        m.Value("dotnet_process_cpu_time_seconds_total", ("cpu_mode", "user")).Should().BeGreaterThan(0);
        m.Value("dotnet_process_memory_working_set_bytes").Should().BeGreaterThan(0);
        m.Has("dotnet_gc_collections_total").Should().BeTrue();
        m.Has("dotnet_gc_heap_total_allocated_bytes_total").Should().BeTrue();
        m.Value("dotnet_thread_pool_threads").Should().BeGreaterThan(0);
        m.Text.Should().Contain("# TYPE dotnet_thread_pool_threads gauge\n").And.Contain("# TYPE dotnet_thread_pool_queue_length gauge\n");
    }

    [Fact]
    public async Task TwoDaemonsInOneProcess_EachExportsOnlyItsOwnCounts()
    {
        await using var first = await TestDaemon.StartAsync(output);
        await using var second = await TestDaemon.StartAsync(output);
        await using var client = await first.ConnectIdentifiedAsync();
        (await client.CommandAsync("REGISTER t\n")).Should().Be("OK");

        (await ScrapeAsync(first)).Value("nsqlookupd_topics").Should().Be(1);
        var m = await ScrapeAsync(second);
        m.Value("nsqlookupd_topics").Should().Be(0);
        m.Value("nsqlookupd_producers").Should().Be(0);
        m.Value("nsqlookupd_tcp_connections_total").Should().Be(0);
    }

    /// <summary>The collector's per-instrument series limit (MetricsCollector.MaxSeriesPerInstrument) is
    /// well above the label sets the daemon can produce: every route answered with its own method, with a wrong one
    /// (405), with a trailing slash (a redirect), plus unknown paths (404), and every series is still there on its own, none
    /// folded into the overflow series.</summary>
    [Fact]
    public async Task EveryRouteAndStatus_GetsItsOwnSeries_NoneOverflows()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var expected = new HashSet<(string Route, string Status)>();
        foreach (var row in NsqLookup.Http.HttpApi.Routes.Where(r => !r.Path.StartsWith("/debug/pprof", StringComparison.Ordinal)))
        {
            var method = new HttpMethod(row.Method);
            var ok = await SendAsync(daemon, method, row.Path);
            expected.Add((row.Path, ok.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var wrong = await SendAsync(daemon, row.Method == "GET" ? HttpMethod.Delete : HttpMethod.Put, row.Path);
            wrong.Status.Should().Be(405);
            expected.Add((row.Path, "405"));
            _ = await SendAsync(daemon, method, row.Path + "/"); // a redirect (the client follows it)
        }

        (await GetAsync(daemon, "/no/such/route")).Status.Should().Be(404);

        var m = await ScrapeAsync(daemon);
        foreach (var (route, status) in expected.Where(e => e.Route != "/metrics"))
        {
            m.Value("nsqlookupd_http_requests_total", ("route", route), ("status", status)).Should().BeGreaterThanOrEqualTo(1, $"{route} {status}");
        }

        expected.Count.Should().BeGreaterThan(20);
        m.Text.Should().NotContain(NsqLookup.Prometheus.MetricsCollector.OverflowLabel);
    }

    /// <summary>Prometheus asks for OpenMetrics first; the answer is OpenMetrics 1.0 (counter families named without
    /// <c>_total</c>, <c># EOF</c> last), and without that <c>Accept</c> it stays text 0.0.4.</summary>
    [Fact]
    public async Task AScraperAskingForOpenMetrics_GetsOpenMetrics()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        (await GetAsync(daemon, "/ping")).Status.Should().Be(200);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation(
            "Accept", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        using var reply = await daemon.Http.SendAsync(request).WaitAsync(TestDaemon.Timeout);
        var text = await reply.Content.ReadAsStringAsync().WaitAsync(TestDaemon.Timeout);

        ((int)reply.StatusCode).Should().Be(200);
        reply.Content.Headers.ContentType!.ToString().Should().Be("application/openmetrics-text; version=1.0.0; charset=utf-8");
        text.Should().Contain("# TYPE nsqlookupd_http_requests counter\n");
        text.Should().Contain("nsqlookupd_http_requests_total{route=\"/ping\",status=\"200\"} 1\n");
        text.Should().Contain("# UNIT nsqlookupd_http_request_duration_seconds seconds\n");
        text.Should().EndWith("\n# EOF\n");

        var plain = await GetAsync(daemon, "/metrics");
        plain.Header("Content-Type").Should().Be(PrometheusTextType);
        plain.Text.Should().Contain("# TYPE nsqlookupd_http_requests_total counter\n").And.NotContain("# EOF");
    }

    private static async Task<Scrape> ScrapeAsync(TestDaemon daemon)
    {
        var reply = await GetAsync(daemon, "/metrics");
        reply.Status.Should().Be(200);
        return Scrape.Parse(reply.Text);
    }
}
