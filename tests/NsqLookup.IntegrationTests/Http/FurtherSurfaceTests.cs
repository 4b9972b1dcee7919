using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>T127–T131 (HTTP parts) and the pprof/redirect corners of docs/protocol.md, "Routing".</summary>
public sealed class FurtherSurfaceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task T127_HundredKilobyteQuery_IsServedNormally()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var name = new string('q', 100_000);

        var lookup = await GetAsync(daemon, "/lookup?topic=" + name);
        var create = await PostAsync(daemon, "/topic/create?topic=" + name);

        lookup.Status.Should().Be(404);
        lookup.Text.Should().Be("""{"message":"TOPIC_NOT_FOUND"}""");
        create.Status.Should().Be(400);
        create.Text.Should().Be("""{"message":"INVALID_ARG_TOPIC"}""");
    }

    [Fact]
    public async Task T128_Pprof_IndexIsHtml_AndMethodsMatchTheGoOriginal()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var index = await GetAsync(daemon, "/debug/pprof");
        index.Status.Should().Be(200);
        index.Header("Content-Type").Should().Be("text/html; charset=utf-8");
        index.Text.Should().Contain("dotnet-counters").And.Contain("dotnet-trace").And.Contain("dotnet-dump");

        var post = await PostAsync(daemon, "/debug/pprof");
        post.Status.Should().Be(405);
        post.Header("Allow").Should().Be("GET, OPTIONS");

        var put = await SendAsync(daemon, HttpMethod.Put, "/debug/pprof/symbol");
        put.Status.Should().Be(405);
        put.Header("Allow").Should().Be("GET, OPTIONS, POST");

        var heap = await GetAsync(daemon, "/debug/pprof/heap");
        heap.Status.Should().Be(404);
        heap.Text.Should().Be("""{"message":"NOT_FOUND"}""");
        (await PostAsync(daemon, "/debug/pprof/symbol")).Status.Should().Be(404);
        (await RawAsync(daemon, "OPTIONS /debug/pprof/symbol HTTP/1.1")).Header("Allow").Should().Be("GET, OPTIONS, POST");
        (await RawAsync(daemon, "GET /debug/pprof/ HTTP/1.1")).Header("Location").Should().Be("/debug/pprof");
    }

    [Theory]
    [InlineData("/./ping")]
    [InlineData("/a/../ping")]
    [InlineData("//ping")]
    [InlineData("/ping/.")]
    public async Task T129_DotSegments_Redirect_InsteadOfServing(string target)
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await RawAsync(daemon, $"GET {target} HTTP/1.1");

        reply.Status.Should().Be(301);
        reply.Header("Location").Should().Be("/ping");
        reply.Text.Should().Be("<a href=\"/ping\">Moved Permanently</a>.\n\n");
    }

    [Fact]
    public async Task T130_Hostname_IsEscapedLikeGo_InRawBytes()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "127.0.0.1:50001", Body(hostname: "<a&b>é\u2028"), "t");

        var body = (await GetAsync(daemon, "/lookup?topic=t")).Body;

        var expected = "\"hostname\":\"\\u003ca\\u0026b\\u003e"u8.ToArray().Concat(new byte[] { 0xC3, 0xA9 }).Concat("\\u2028\""u8.ToArray()).ToArray();
        body.AsSpan().IndexOf(expected).Should().BeGreaterThanOrEqualTo(0, System.Text.Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task T131_ReplacementCharacters_AreRawUtf8()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        // what the IDENTIFY decoder makes of "h\xfe\xff"
        Seed(daemon, "127.0.0.1:50001", Body(hostname: "h\uFFFD\uFFFD"));

        var body = (await GetAsync(daemon, "/nodes")).Body;

        byte[] expected = [.. "\"hostname\":\"h"u8, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD, (byte)'"'];
        body.AsSpan().IndexOf(expected).Should().BeGreaterThanOrEqualTo(0);
        (await NodesAsync(daemon))[0].GetProperty("hostname").GetString().Should().Be("h\uFFFD\uFFFD");
    }
}
