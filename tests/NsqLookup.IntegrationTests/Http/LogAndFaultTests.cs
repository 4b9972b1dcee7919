using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Protocol;
using NsqLookup.Registry;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>docs/protocol.md, "Logs": the access-log line, the <c>DB:</c> lines of HTTP mutations, and the panic
/// handler.</summary>
public sealed class LogAndFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AccessLog_ForRoutedRequests_Including404And405_NotForRedirectsOptionsPprof()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        await GetAsync(daemon, "/ping");
        await GetAsync(daemon, "/lookup?topic=x&y=1");
        await PostAsync(daemon, "/ping");
        await GetAsync(daemon, "/nosuch");
        await RawAsync(daemon, "GET /PING HTTP/1.1");
        await RawAsync(daemon, "OPTIONS /ping HTTP/1.1");
        await GetAsync(daemon, "/debug/pprof");
        await GetAsync(daemon, "/debug/pprof/heap");

        var access = daemon.Logs.Lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^INFO: \d{3} ")).ToArray();
        access.Should().HaveCount(4, string.Join("\n", access));
        access[0].Should().MatchRegex(@"^INFO: 200 GET /ping \(127\.0\.0\.1:\d+\) \d+(\.\d+)?(ns|µs|ms|s)$");
        access[1].Should().MatchRegex(@"^INFO: 404 GET /lookup\?topic=x&y=1 \(127\.0\.0\.1:\d+\) ");
        access[2].Should().StartWith("INFO: 405 POST /ping (");
        access[3].Should().StartWith("INFO: 404 GET /nosuch (");
    }

    [Fact]
    public async Task DbLines_ForCreateDeleteTombstone()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        await PostAsync(daemon, "/topic/create?topic=a");
        await PostAsync(daemon, "/channel/create?topic=t&channel=c");
        await PostAsync(daemon, "/channel/create?topic=t&channel=d");
        await PostAsync(daemon, "/channel/delete?topic=t&channel=d");
        await PostAsync(daemon, "/topic/delete?topic=t");
        await PostAsync(daemon, "/topic/delete?topic=never");
        await PostAsync(daemon, "/topic/tombstone?topic=a&node=n1:4151");

        daemon.Logs.Lines.Where(l => l.StartsWith("INFO: DB: ", StringComparison.Ordinal)).Should().Equal(
            "INFO: DB: adding topic(a)",
            "INFO: DB: adding channel(c) in topic(t)",
            "INFO: DB: adding topic(t)",
            "INFO: DB: adding channel(d) in topic(t)",
            "INFO: DB: adding topic(t)",
            "INFO: DB: removing channel(d) from topic(t)",
            "INFO: DB: removing channel(c) from topic(t)",
            "INFO: DB: removing topic(t)",
            "INFO: DB: setting tombstone for producer@n1:4151 of topic(a)");
    }

    [Fact]
    public async Task HandlerFailure_Is500InternalError_Logged_AndServerKeepsServing()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        // A peer the protocol could never build: its null hostname makes the /nodes handler throw.
        var db = daemon.App.Registry;
        var peer = (Body() with { Hostname = null! }).ToPeer("127.0.0.1:1");
        db.Touch(peer);
        db.AddProducer(Registration.Client, peer);

        var reply = await GetAsync(daemon, "/nodes");

        reply.Status.Should().Be(500);
        reply.Text.Should().Be("""{"message":"INTERNAL_ERROR"}""");
        reply.Header(NsqHeader).Should().Be(NsqValue);
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith("ERROR: panic in HTTP handler - ", StringComparison.Ordinal));
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith("INFO: 500 GET /nodes (", StringComparison.Ordinal));
        (await GetAsync(daemon, "/ping")).Status.Should().Be(200);
    }

    [Fact]
    public async Task OptionsStar_IsEmpty200_WithoutAllow_LikeNetHttp()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await RawAsync(daemon, "OPTIONS * HTTP/1.1");

        reply.Status.Should().Be(200);
        reply.Body.Should().BeEmpty();
        reply.Header("Allow").Should().BeNull();
    }

    [Fact]
    public async Task SemicolonInQuery_LogsGoServerWarning()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        await GetAsync(daemon, "/topics?a=1;b=2");
        await GetAsync(daemon, "/topics?a=1");

        daemon.Logs.Lines.Where(l => l.StartsWith("WARNING: http: URL query contains semicolon", StringComparison.Ordinal))
            .Should().ContainSingle();
    }

    [Fact]
    public async Task MalformedPathEscape_Is400BadRequest_LikeGo()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var bad = await RawAsync(daemon, "GET /pi%zzng HTTP/1.1");
        var escaped = await RawAsync(daemon, "GET /%70ing HTTP/1.1");

        bad.Status.Should().Be(400);
        bad.Text.Should().Be("400 Bad Request");
        escaped.Status.Should().Be(200, "Go routes on the decoded path");
        escaped.Text.Should().Be("OK");
    }

    [Fact]
    public async Task Redirects_KeepQuery_EscapeHtml_AndOnlyForMethodsWithRoutes()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var lookup = await RawAsync(daemon, "GET /Lookup?topic=a&x=%3C HTTP/1.1");
        lookup.Status.Should().Be(301);
        lookup.Header("Location").Should().Be("/lookup?topic=a&x=%3C");
        lookup.Text.Should().Be("<a href=\"/lookup?topic=a&amp;x=%3C\">Moved Permanently</a>.\n\n");

        (await RawAsync(daemon, "PUT /ping/ HTTP/1.1\r\nContent-Length: 0")).Status.Should().Be(404);
        (await RawAsync(daemon, "POST /ping/ HTTP/1.1\r\nContent-Length: 0")).Status.Should().Be(404);
        (await RawAsync(daemon, "HEAD /ping/ HTTP/1.1")).Status.Should().Be(404);
        (await RawAsync(daemon, "GET /Topic/Create HTTP/1.1")).Status.Should().Be(404);
        (await RawAsync(daemon, "POST /TOPIC/CREATE?topic=x HTTP/1.1\r\nContent-Length: 0")).Header("Location").Should().Be("/topic/create?topic=x");
    }
}
