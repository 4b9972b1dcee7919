using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Metrics;

/// <summary>Prometheus's own checker on what we ship: <c>promtool check metrics</c> on a real scrape of the daemon,
/// <c>promtool check rules</c> and <c>promtool test rules</c> on deploy/prometheus.</summary>
public sealed class PromtoolTests(ITestOutputHelper output)
{
    private static string RulesDirectory => Path.Combine(RepoPaths.Root, "deploy", "prometheus");

    /// <summary>Every family has samples (registrations, protocol errors, HTTP answers of each kind, a refused admin
    /// request) before the scrape is checked; promtool exits 3 on a lint problem such as a gauge named
    /// <c>_count</c> or a counter without <c>_total</c>.</summary>
    [Fact]
    public async Task CheckMetrics_AcceptsARealScrape()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpAdminAllow = ["192.0.2.0/24"] });
        await using var producer = await daemon.ConnectIdentifiedAsync();
        (await producer.CommandAsync("REGISTER t1 c1\n")).Should().Be("OK");
        (await producer.CommandAsync("REGISTER t2\n")).Should().Be("OK");
        await using (var v2 = await daemon.ConnectAsync())
        {
            (await v2.CommandAsync("  V2")).Should().Be("E_BAD_PROTOCOL");
        }

        (await GetAsync(daemon, "/ping")).Status.Should().Be(200);
        (await GetAsync(daemon, "/lookup?topic=t1")).Status.Should().Be(200);
        (await GetAsync(daemon, "/lookup?topic=none")).Status.Should().Be(404);
        (await PostAsync(daemon, "/topic/create?topic=x")).Status.Should().Be(403);
        (await GetAsync(daemon, "/metrics")).Status.Should().Be(200);

        var scrape = await GetAsync(daemon, "/metrics");
        foreach (var family in new[]
        {
            "nsqlookupd_producers", "nsqlookupd_topics", "nsqlookupd_channels", "nsqlookupd_registrations",
            "nsqlookupd_tcp_connections_total", "nsqlookupd_tcp_connections_open", "nsqlookupd_tcp_connections_rejected_total",
            "nsqlookupd_tcp_connections_refused_total", "nsqlookupd_commands_total", "nsqlookupd_protocol_errors_total",
            "nsqlookupd_http_requests_total", "nsqlookupd_http_request_duration_seconds", "dotnet_thread_pool_threads",
            "dotnet_process_memory_working_set_bytes", "dotnet_assemblies",
        })
        {
            ("\n" + scrape.Text).Should().Contain("\n# TYPE " + family + " ");
        }

        var (exitCode, text) = await Promtool.RunAsync(RepoPaths.Root, scrape.Text, "check", "metrics");

        output.WriteLine(text);
        exitCode.Should().Be(0, text);
    }

    /// <summary>The checker is not a rubber stamp: the names this daemon exported before fail it.</summary>
    [Fact]
    public async Task CheckMetrics_RejectsAGaugeNamedCount()
    {
        var (exitCode, text) = await Promtool.RunAsync(
            RepoPaths.Root, "# HELP dotnet_assembly_count Assemblies.\n# TYPE dotnet_assembly_count gauge\ndotnet_assembly_count 3\n", "check", "metrics");

        exitCode.Should().NotBe(0);
        text.Should().Contain("_count");
    }

    [Fact]
    public async Task CheckRules_AcceptsTheAlertingRules()
    {
        var (exitCode, text) = await Promtool.RunAsync(RulesDirectory, null, "check", "rules", "nsqlookupd-alerts.yml");

        output.WriteLine(text);
        exitCode.Should().Be(0, text);
        text.Should().Contain("SUCCESS: 10 rules found");
    }

    [Fact]
    public async Task TestRules_PassesTheRulesUnitTests()
    {
        var (exitCode, text) = await Promtool.RunAsync(RulesDirectory, null, "test", "rules", "nsqlookupd-alerts.test.yml");

        output.WriteLine(text);
        exitCode.Should().Be(0, text);
        text.Should().Contain("SUCCESS");
    }
}
