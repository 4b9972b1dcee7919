using System.Diagnostics.Metrics;
using NsqLookup.Metrics;
using NsqLookup.Prometheus;
using NsqLookup.Registry;

namespace NsqLookup.Tests.Prometheus;

/// <summary>The in-house <c>/metrics</c> collector: Prometheus names, sample lines, histogram buckets, observable and
/// gauge values, escaping, the series limit and the OpenMetrics variant, on instruments made for the test on the
/// daemon's own meter.</summary>
public sealed class MetricsCollectorTests : IDisposable
{
    private readonly NsqLookupMetrics _metrics = new(new RegistrationDB(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45)));
    private readonly MetricsCollector _collector;

    public MetricsCollectorTests() => _collector = new MetricsCollector(_metrics);

    private Meter Meter => _metrics.Meter;

    [Theory]
    [InlineData("nsqlookupd.http.request.duration", "s", "Histogram", "nsqlookupd_http_request_duration_seconds")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", "Counter", "dotnet_gc_heap_total_allocated_bytes")]
    [InlineData("nsqlookupd.http.requests", "{request}", "Counter", "nsqlookupd_http_requests")]
    [InlineData("dotnet.gc.pause.time", "s", "Counter", "dotnet_gc_pause_time_seconds")]
    [InlineData("already.seconds", "s", "Gauge", "already_seconds")]
    [InlineData("rate", "By/s", "Gauge", "rate_bytes_per_second")]
    [InlineData("ratio", "1", "Gauge", "ratio")]
    [InlineData("9lives-x", null, "Gauge", "_9lives_x")]
    [InlineData("requests.total", "{request}", "Counter", "requests")] // the writer adds _total once
    public void FamilyNames_FollowTheExportersMapping(string instrument, string? unit, string kind, string expected) =>
        PrometheusNames.Family(instrument, unit, Enum.Parse<MetricKind>(kind)).Should().Be(expected);

    /// <summary>The System.Runtime names promtool rejected ("non-histogram and non-summary metrics should not have
    /// _count suffix") and the ones exported as counters although they go down.</summary>
    [Theory]
    [InlineData("dotnet.assembly.count", "{assembly}", "Gauge", "dotnet_assemblies")]
    [InlineData("dotnet.process.cpu.count", "{cpu}", "Gauge", "dotnet_process_cpus")]
    [InlineData("dotnet.timer.count", "{timer}", "Gauge", "dotnet_timers")]
    [InlineData("dotnet.thread_pool.thread.count", "{thread}", "Gauge", "dotnet_thread_pool_threads")]
    [InlineData("dotnet.thread_pool.work_item.count", "{work_item}", "Counter", "dotnet_thread_pool_work_items")]
    [InlineData("dotnet.thread_pool.queue.length", "{work_item}", "Gauge", "dotnet_thread_pool_queue_length")]
    [InlineData("test.index.count", "By", "Gauge", "test_indexes_bytes")]
    [InlineData("test.latency.sum", "s", "Gauge", "test_latency_sums_seconds")]
    [InlineData("test.le.bucket", null, "Counter", "test_le_buckets")]
    [InlineData("test.wait.count", "s", "Histogram", "test_wait_count_seconds")] // a histogram's own suffixes follow
    [InlineData("count", null, "Gauge", "count")]
    public void ReservedSuffixes_BecomePluralNouns(string instrument, string? unit, string kind, string expected) =>
        PrometheusNames.Family(instrument, unit, Enum.Parse<MetricKind>(kind)).Should().Be(expected);

    [Theory]
    [InlineData("assembly", "assemblies")]
    [InlineData("day", "days")]
    [InlineData("process", "processes")]
    [InlineData("box", "boxes")]
    [InlineData("batch", "batches")]
    [InlineData("cpu", "cpus")]
    public void Plurals(string word, string expected) => PrometheusNames.Plural(word).Should().Be(expected);

    [Theory]
    [InlineData("NsqLookup", "nsqlookupd.commands", typeof(Counter<>), "Counter")]
    [InlineData("NsqLookup", "nsqlookupd.tcp.connections.open", typeof(UpDownCounter<>), "Gauge")]
    [InlineData("NsqLookup", "nsqlookupd.producers", typeof(ObservableGauge<>), "Gauge")]
    [InlineData("NsqLookup", "nsqlookupd.http.request.duration", typeof(Histogram<>), "Histogram")]
    [InlineData("NsqLookup", "test.level", typeof(Gauge<>), "Gauge")]
    [InlineData("System.Runtime", "dotnet.gc.collections", typeof(ObservableCounter<>), "Counter")]
    [InlineData("System.Runtime", "dotnet.process.memory.working_set", typeof(ObservableUpDownCounter<>), "Gauge")]
    [InlineData("System.Runtime", "dotnet.thread_pool.thread.count", typeof(ObservableCounter<>), "Gauge")]
    [InlineData("System.Runtime", "dotnet.thread_pool.queue.length", typeof(ObservableCounter<>), "Gauge")]
    [InlineData("System.Runtime", "dotnet.thread_pool.work_item.count", typeof(ObservableCounter<>), "Counter")]
    [InlineData("Other", "dotnet.thread_pool.thread.count", typeof(ObservableCounter<>), "Counter")] // only the runtime's meter
    public void ValuesThatGoDown_AreGauges(string meter, string instrument, Type definition, string expected) =>
        PrometheusNames.Kind(meter, instrument, definition).ToString().Should().Be(expected);

    [Fact]
    public void TheRuntimeLevels_AreExportedAsGaugesUnderPromtoolValidNames()
    {
        var text = _collector.Scrape(openMetrics: false);

        text.Should().Contain("# TYPE dotnet_thread_pool_threads gauge\n");
        text.Should().Contain("# TYPE dotnet_thread_pool_queue_length gauge\n");
        text.Should().Contain("# TYPE dotnet_assemblies gauge\n");
        text.Should().Contain("# TYPE dotnet_thread_pool_work_items_total counter\n");
        text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal) && !l.EndsWith(" histogram", StringComparison.Ordinal))
            .Should().NotContain(l => l.Split(' ')[2].EndsWith("_count", StringComparison.Ordinal) || l.Split(' ')[2].EndsWith("_sum", StringComparison.Ordinal) || l.Split(' ')[2].EndsWith("_bucket", StringComparison.Ordinal));
        text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal) && l.EndsWith("_total gauge", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public void CountersWithKnownLabels_StartAtZero()
    {
        var text = _collector.Scrape(openMetrics: false);

        text.Should().Contain("\nnsqlookupd_tcp_connections_total 0\n");
        text.Should().Contain("\nnsqlookupd_tcp_connections_rejected_total 0\n");
        text.Should().Contain("\nnsqlookupd_tcp_connections_open 0\n");
        text.Should().Contain("\nnsqlookupd_tcp_connections_refused_total{reason=\"allowlist\"} 0\n");
        text.Should().Contain("\nnsqlookupd_commands_total{command=\"UNREGISTER\"} 0\n");
        foreach (var code in new[] { "E_INVALID", "E_BAD_PROTOCOL", "E_BAD_BODY", "E_BAD_TOPIC", "E_BAD_CHANNEL" })
        {
            text.Should().Contain($"\nnsqlookupd_protocol_errors_total{{code=\"{code}\"}} 0\n");
        }

        NsqLookupMetrics.TcpRefusedAllowlist.Should().Be(NsqLookup.Security.TcpAllowGate.AllowlistReason);
        text.Should().NotContain("nsqlookupd_http_requests_total");
    }

    [Fact]
    public void RefusalsOnTheGivenRoutes_StartAtZero()
    {
        using var metrics = new NsqLookupMetrics(new RegistrationDB(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45)));
        using var collector = new MetricsCollector(metrics, ["/topic/create", "/debug"]);

        var text = collector.Scrape(openMetrics: false);

        text.Should().Contain("\nnsqlookupd_http_requests_total{route=\"/topic/create\",status=\"403\"} 0\n");
        text.Should().Contain("\nnsqlookupd_http_requests_total{route=\"/debug\",status=\"403\"} 0\n");
    }

    [Fact]
    public void ACounter_IsATotalPerLabelSetInFirstSeenOrder()
    {
        var counter = Meter.CreateCounter<long>("test.commands", "{command}", "Commands, by name");
        counter.Add(1, new KeyValuePair<string, object?>("command", "PING"));
        counter.Add(2, new KeyValuePair<string, object?>("command", "REGISTER"));
        counter.Add(3, new KeyValuePair<string, object?>("command", "PING"));
        counter.Add(5);

        Family("test_commands_total").Should().Equal(
            "# TYPE test_commands_total counter",
            "# HELP test_commands_total Commands, by name",
            "test_commands_total{command=\"PING\"} 4",
            "test_commands_total{command=\"REGISTER\"} 2",
            "test_commands_total 5");
    }

    [Fact]
    public void AnUpDownCounter_IsAGaugeOfItsSumAndADoubleCounterKeepsItsFraction()
    {
        var open = Meter.CreateUpDownCounter<long>("test.open");
        open.Add(3);
        open.Add(-1);
        var seconds = Meter.CreateCounter<double>("test.busy", "s");
        seconds.Add(0.25);
        seconds.Add(0.5);

        Family("test_open").Should().Equal("# TYPE test_open gauge", "test_open 2");
        Family("test_busy_seconds_total").Should().Equal("# TYPE test_busy_seconds_total counter", "test_busy_seconds_total 0.75");
    }

    [Fact]
    public void ObservableInstrumentsAndGauges_ReportTheirLatestValueNotASum()
    {
        var value = 7;
        Meter.CreateObservableGauge("test.size", () => value);
        Meter.CreateObservableCounter("test.seen", () => (long)value * 10);
        var gauge = Meter.CreateGauge<double>("test.level");
        gauge.Record(1.5);
        gauge.Record(2.5);

        _collector.Scrape(openMetrics: false);
        value = 8;

        Family("test_size").Should().Equal("# TYPE test_size gauge", "test_size 8");
        Family("test_seen_total").Should().Equal("# TYPE test_seen_total counter", "test_seen_total 80");
        Family("test_level").Should().Equal("# TYPE test_level gauge", "test_level 2.5");
    }

    [Fact]
    public void AHistogram_HasCumulativeBucketsAtItsAdvisedBoundsThenSumAndCount()
    {
        var histogram = Meter.CreateHistogram<double>("test.latency", "s", "Latency", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        var route = new KeyValuePair<string, object?>("route", "/ping");
        histogram.Record(0.1, route); // a value equal to a bound is in that bound's bucket (le)
        histogram.Record(0.5, route);
        histogram.Record(3, route);

        Family("test_latency_seconds").Should().Equal(
            "# TYPE test_latency_seconds histogram",
            "# HELP test_latency_seconds Latency",
            "test_latency_seconds_bucket{route=\"/ping\",le=\"0.1\"} 1",
            "test_latency_seconds_bucket{route=\"/ping\",le=\"1\"} 2",
            "test_latency_seconds_bucket{route=\"/ping\",le=\"+Inf\"} 3",
            "test_latency_seconds_sum{route=\"/ping\"} 3.6",
            "test_latency_seconds_count{route=\"/ping\"} 3");
    }

    [Fact]
    public void LabelNames_AreSanitizedAndValuesAndHelpEscaped()
    {
        var counter = Meter.CreateCounter<long>("test.escapes", unit: null, description: "line\none \\ \"quoted\"");
        counter.Add(1, new KeyValuePair<string, object?>("error.type", "a\"b\\c\nd"), new KeyValuePair<string, object?>("n", 42));

        Family("test_escapes_total").Should().Equal(
            "# TYPE test_escapes_total counter",
            "# HELP test_escapes_total line\\none \\\\ \"quoted\"",
            "test_escapes_total{error_type=\"a\\\"b\\\\c\\nd\",n=\"42\"} 1");
    }

    [Fact]
    public void PastTheSeriesLimitMeasurements_GoToOneOverflowSeries()
    {
        var counter = Meter.CreateCounter<long>("test.wide");
        for (var i = 0; i < MetricsCollector.MaxSeriesPerInstrument + 5; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        counter.Add(1, new KeyValuePair<string, object?>("id", "0")); // an existing series still counts on its own

        var lines = Family("test_wide_total");
        lines.Should().HaveCount(2 + MetricsCollector.MaxSeriesPerInstrument);
        lines.Should().Contain("test_wide_total{id=\"0\"} 2");
        lines[^1].Should().Be("test_wide_total{metric_overflow=\"true\"} 5");
    }

    [Fact]
    public void OpenMetrics_NamesCounterFamiliesWithoutTotalAddsUnitsAndEndsWithEof()
    {
        Meter.CreateCounter<double>("test.busy", "s", "Busy").Add(1.5);
        Meter.CreateUpDownCounter<long>("test.open").Add(1);

        var text = _collector.Scrape(openMetrics: true);

        text.Should().Contain("# TYPE test_busy_seconds counter\n# UNIT test_busy_seconds seconds\n# HELP test_busy_seconds Busy\ntest_busy_seconds_total 1.5\n");
        text.Should().Contain("# TYPE test_open gauge\ntest_open 1\n");
        text.Should().EndWith("\n# EOF\n");
        _collector.Scrape(openMetrics: false).Should().NotContain("# EOF").And.NotContain("# UNIT");
    }

    [Fact]
    public void AnotherMeterWithTheSameName_IsNotCollected()
    {
        using var other = new Meter(NsqLookupMetrics.MeterName);
        other.CreateCounter<long>("test.foreign").Add(1);
        Meter.CreateCounter<long>("test.mine").Add(1);

        var text = _collector.Scrape(openMetrics: false);

        text.Should().Contain("test_mine_total 1").And.NotContain("test_foreign");
    }

    [Fact]
    public void TheRuntimeMeter_IsCollected()
    {
        var text = _collector.Scrape(openMetrics: false);

        text.Should().Contain("# TYPE dotnet_process_cpu_time_seconds_total counter");
        text.Should().Contain("# TYPE dotnet_process_cpus gauge");
        text.Should().Contain("dotnet_process_cpu_time_seconds_total{cpu_mode=\"user\"} ");
        text.Should().Contain("# TYPE dotnet_process_memory_working_set_bytes gauge");
    }

    [Fact]
    public void ConcurrentAdds_AreAllCounted()
    {
        var counter = Meter.CreateCounter<long>("test.concurrent");
        var histogram = Meter.CreateHistogram<double>("test.concurrent.duration");
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("route", i % 2 == 0 ? "/a" : "/b"));
                histogram.Record(1);
            }
        });

        var lines = Family("test_concurrent_total");
        lines.Should().Contain("test_concurrent_total{route=\"/a\"} 40000").And.Contain("test_concurrent_total{route=\"/b\"} 40000");
        Family("test_concurrent_duration").Should().Contain("test_concurrent_duration_count 80000");
    }

    public void Dispose()
    {
        _collector.Dispose();
        _metrics.Dispose();
    }

    /// <summary>The lines of one family (its # lines and samples) from a text-format scrape.</summary>
    private string[] Family(string name)
    {
        var lines = _collector.Scrape(openMetrics: false).Split('\n');
        return [.. lines.Where(l => l.StartsWith("# TYPE " + name + " ", StringComparison.Ordinal)
            || l.StartsWith("# HELP " + name + " ", StringComparison.Ordinal)
            || (l.StartsWith(name, StringComparison.Ordinal) && l.Length > name.Length && l[name.Length] is ' ' or '{' or '_'))];
    }
}
