using System.Net.Http.Headers;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>T77–T90: response rules, routing, query parsing.</summary>
public sealed class GenericTests(ITestOutputHelper output)
{
    [Fact]
    public async Task T77_Ping_IsPlainTextOk_WithoutNsqHeader()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await GetAsync(daemon, "/ping");

        reply.Status.Should().Be(200);
        reply.Text.Should().Be("OK");
        reply.Header("Content-Type").Should().Be("text/plain; charset=utf-8");
        reply.Header(NsqHeader).Should().BeNull();
    }

    [Fact]
    public async Task T78_Info_IsVersionJson_WithBothHeaders()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await RawAsync(daemon, "GET /info HTTP/1.1");

        reply.Status.Should().Be(200);
        reply.Text.Should().Be("""{"version":"1.3.0"}""");
        reply.Header("Content-Type").Should().Be(JsonType);
        reply.HeaderLines.Should().Contain(("X-Nsq-Content-Type", NsqValue), "Go canonicalises the header name so");
        reply.Header("Content-Length").Should().Be("19");
    }

    [Fact]
    public async Task T79_Info_IgnoresAcceptHeader()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var replies = new List<Reply>();
        foreach (var accept in new[] { "text/html", "application/vnd.nsq; version=1.0", null })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/info");
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            using var response = await daemon.Http.SendAsync(request);
            replies.Add(await Reply.FromAsync(response));
        }

        foreach (var reply in replies)
        {
            reply.Status.Should().Be(200);
            reply.Text.Should().Be("""{"version":"1.3.0"}""");
            reply.Header("Content-Type").Should().Be(JsonType);
            reply.Header(NsqHeader).Should().Be(NsqValue);
        }
    }

    [Theory]
    [InlineData("/nosuch")]
    [InlineData("/")]
    public async Task T80_UnknownPath_Is404Json(string path)
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await GetAsync(daemon, path);

        reply.Status.Should().Be(404);
        reply.Text.Should().Be("""{"message":"NOT_FOUND"}""");
        reply.Header("Content-Type").Should().Be(JsonType);
        reply.Header(NsqHeader).Should().Be(NsqValue);
    }

    [Fact]
    public async Task T81_PostPing_Is405_WithAllow()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await PostAsync(daemon, "/ping");

        reply.Status.Should().Be(405);
        reply.Text.Should().Be("""{"message":"METHOD_NOT_ALLOWED"}""");
        reply.Header("Allow").Should().Be("GET, OPTIONS");
        reply.Header(NsqHeader).Should().Be(NsqValue);
    }

    [Fact]
    public async Task T82_GetTopicCreate_Is405_AndCreatesNothing()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await GetAsync(daemon, "/topic/create?topic=x");

        reply.Status.Should().Be(405);
        reply.Header("Allow").Should().Be("OPTIONS, POST");
        (await TopicsAsync(daemon)).Should().BeEmpty();
    }

    [Fact]
    public async Task T83_HeadPing_Is405_WithoutBody()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await RawAsync(daemon, "HEAD /ping HTTP/1.1");

        reply.Status.Should().Be(405);
        reply.Header("Allow").Should().Be("GET, OPTIONS");
        reply.Body.Should().BeEmpty();
    }

    [Fact]
    public async Task T84_OptionsPing_Is200_WithAllow_AndNothingElse()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await RawAsync(daemon, "OPTIONS /ping HTTP/1.1");

        reply.Status.Should().Be(200);
        reply.Header("Allow").Should().Be("GET, OPTIONS");
        reply.Body.Should().BeEmpty();
        reply.Header("Content-Type").Should().BeNull();
        reply.Header(NsqHeader).Should().BeNull();
        (await RawAsync(daemon, "OPTIONS /nosuch HTTP/1.1")).Status.Should().Be(404);
    }

    [Fact]
    public async Task T85_PathRepair_Redirects_301ForGet_307ForPost()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        foreach (var target in new[] { "/ping/", "/PING" })
        {
            var get = await RawAsync(daemon, $"GET {target} HTTP/1.1");
            get.Status.Should().Be(301, target);
            get.Header("Location").Should().Be("/ping");
            get.Header("Content-Type").Should().Be("text/html; charset=utf-8");
            get.Text.Should().Be("<a href=\"/ping\">Moved Permanently</a>.\n\n");
        }

        var post = await RawAsync(daemon, "POST /topic/create/?topic=x HTTP/1.1\r\nContent-Length: 0");
        post.Status.Should().Be(307);
        post.Header("Location").Should().Be("/topic/create?topic=x");
        post.Body.Should().BeEmpty();
        (await TopicsAsync(daemon)).Should().BeEmpty();
    }

    [Fact]
    public async Task T86_MalformedQuery_Is400_OnlyWhereParametersAreRead()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        // raw requests: HttpClient would re-encode %zz as %25zz
        foreach (var head in new[] { "GET /lookup?topic=%zz", "GET /lookup?topic=t;x=1", "GET /channels?topic=%zz", "POST /topic/create?topic=x;y" })
        {
            var reply = await RawAsync(daemon, head + " HTTP/1.1\r\nContent-Length: 0");
            reply.Status.Should().Be(400, head);
            reply.Text.Should().Be("""{"message":"INVALID_REQUEST"}""");
        }

        foreach (var head in new[] { "GET /topics?x=%zz", "GET /ping?x=%zz;", "GET /nodes?x=;", "GET /info?%", "GET /debug?;" })
        {
            (await RawAsync(daemon, head + " HTTP/1.1")).Status.Should().Be(200, head);
        }
    }

    [Fact]
    public async Task T87_RepeatedParameter_FirstValueWins()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await PostAsync(daemon, "/topic/create?topic=b");

        (await GetAsync(daemon, "/lookup?topic=b&topic=a")).Status.Should().Be(200);
        (await GetAsync(daemon, "/lookup?topic=a&topic=b")).Status.Should().Be(404);
    }

    [Fact]
    public async Task T88_FormBody_IsIgnored()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        using var form = new StringContent("topic=x");
        form.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        var reply = await SendAsync(daemon, HttpMethod.Post, "/topic/create", form);

        reply.Status.Should().Be(400);
        reply.Text.Should().Be("""{"message":"MISSING_ARG_TOPIC"}""");
    }

    [Fact]
    public async Task T89_AuthorizationHeader_ChangesNothing()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        HttpKit.Seed(daemon, "t/c");
        var plain = await GetAsync(daemon, "/lookup?topic=t");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/lookup?topic=t");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");
        using var response = await daemon.Http.SendAsync(request);

        var authorized = await Reply.FromAsync(response);

        authorized.Status.Should().Be(plain.Status);
        authorized.Text.Should().Be(plain.Text);
        authorized.Header("Content-Type").Should().Be(plain.Header("Content-Type"));
    }

    [Fact]
    public async Task T90_NoResponseCarriesServerHeader()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        foreach (var head in new[] { "GET /ping HTTP/1.1", "GET /info HTTP/1.1", "GET /nosuch HTTP/1.1", "POST /ping HTTP/1.1\r\nContent-Length: 0", "GET /PING HTTP/1.1", "OPTIONS /ping HTTP/1.1", "GET /debug/pprof HTTP/1.1" })
        {
            var reply = await RawAsync(daemon, head);
            reply.Header("Server").Should().BeNull(head);
            reply.Header("Date").Should().NotBeNull(head);
        }
    }
}
