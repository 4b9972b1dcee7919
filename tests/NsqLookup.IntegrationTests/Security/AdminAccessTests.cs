using System.Net;
using NsqLookup.IntegrationTests.Http;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.IntegrationTests.Metrics;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Security;

/// <summary><c>--http-admin-allow</c> and <c>--http-admin-token-file</c>: the admin routes answer 403 to a source
/// outside the list without the token, and change nothing; read routes stay open.</summary>
public sealed class AdminAccessTests(ITestOutputHelper output) : IDisposable
{
    private const string Secret = "s3cret-token-0123456789";

    private readonly string _tokenFile = WriteToken(Secret + "\n");

    /// <summary>Every admin route, with arguments that succeed on the seeded directory.</summary>
    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "POST", "/topic/create?topic=new_topic" },
        { "POST", "/topic/delete?topic=orders" },
        { "POST", "/channel/create?topic=orders&channel=audit" },
        { "POST", "/channel/delete?topic=orders&channel=billing" },
        { "POST", "/topic/tombstone?topic=orders&node=nsqd1.example:4151" },
        { "GET", "/debug" },
        { "GET", "/debug/pprof" },
        { "GET", "/debug/pprof/heap" },
        { "POST", "/debug/pprof/symbol" },
    };

    public static TheoryData<string> ReadRoutes => new() { "/ping", "/info", "/lookup?topic=orders", "/topics", "/channels?topic=orders", "/nodes", "/metrics" };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AnAdminRouteWithoutTheTokenFromOutsideTheList_IsForbiddenAndChangesNothing(string method, string target)
    {
        await using var daemon = await StartAsync();
        using var other = SourceBound.Http(SourceBound.Other, daemon.HttpPort);
        var before = await DirectoryAsync(daemon);

        var reply = await SendAsync(other, method, target, null);

        reply.Status.Should().Be(403);
        reply.Text.Should().Be("""{"message":"FORBIDDEN"}""");
        reply.Header(HttpKit.NsqHeader).Should().Be(HttpKit.NsqValue);
        reply.Header("Content-Type").Should().Be(HttpKit.JsonType);
        (await DirectoryAsync(daemon)).Should().Be(before);
        var route = target.Split('?')[0];
        var scrape = Scrape.Parse(await daemon.Http.GetStringAsync("/metrics"));
        scrape.Value("nsqlookupd_http_requests_total", ("route", route), ("status", "403")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AnAdminRouteWithTheToken_GetsTheSameAnswerAsAnUnrestrictedDaemon(string method, string target)
    {
        await using var open = await TestDaemon.StartAsync(output);
        Seed(open);
        var expected = await SendAsync(open.Http, method, target, null);

        await using var daemon = await StartAsync();
        using var other = SourceBound.Http(SourceBound.Other, daemon.HttpPort);
        var reply = await SendAsync(other, method, target, "Bearer " + Secret);

        reply.Status.Should().Be(expected.Status).And.NotBe(403);
        reply.Header("Content-Type").Should().Be(expected.Header("Content-Type"));
        (await open.Http.GetStringAsync("/topics")).Should().Be(await daemon.Http.GetStringAsync("/topics"));
        (await open.Http.GetStringAsync("/channels?topic=orders")).Should().Be(await daemon.Http.GetStringAsync("/channels?topic=orders"));
    }

    [Theory]
    [InlineData("Bearer s3cret-token-0123456788")] // same length, last character differs
    [InlineData("Bearer s3cret-token-012345678")] // a prefix
    [InlineData("Bearer s3cret-token-0123456789x")] // longer
    [InlineData("Bearer ")]
    [InlineData("Basic czNjcmV0LXRva2VuLTAxMjM0NTY3ODk=")]
    [InlineData("s3cret-token-0123456789")]
    public async Task AWrongToken_IsForbidden(string authorization)
    {
        await using var daemon = await StartAsync();
        using var other = SourceBound.Http(SourceBound.Other, daemon.HttpPort);
        var reply = await SendAsync(other, "POST", "/topic/delete?topic=orders", authorization);
        reply.Status.Should().Be(403);
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("""{"topics":["orders"]}""");
    }

    [Theory]
    [MemberData(nameof(ReadRoutes))]
    public async Task ReadRoutes_StayOpenToEverySource(string target)
    {
        await using var daemon = await StartAsync();
        using var other = SourceBound.Http(SourceBound.Other, daemon.HttpPort);
        var reply = await SendAsync(other, "GET", target, null);
        reply.Status.Should().Be(200);
    }

    [Fact]
    public async Task EveryRowOfTheRouteTable_IsCheckedByItsAccessClass()
    {
        await using var daemon = await StartAsync();
        using var other = SourceBound.Http(SourceBound.Other, daemon.HttpPort);
        foreach (var row in NsqLookup.Http.HttpApi.Routes)
        {
            var reply = await SendAsync(other, row.Method, row.Path, null);
            if (row.Access == NsqLookup.Http.RouteAccess.Read)
            {
                reply.Status.Should().NotBe(403, $"{row.Method} {row.Path} is open");
            }
            else
            {
                reply.Status.Should().Be(403, $"{row.Method} {row.Path} is {row.Access}");
            }
        }
    }

    [Fact]
    public async Task ASourceInTheList_NeedsNoToken()
    {
        await using var daemon = await StartAsync();
        var reply = await SendAsync(daemon.Http, "POST", "/topic/delete?topic=orders", null);
        reply.Status.Should().Be(200);
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("""{"topics":[]}""");
    }

    [Fact]
    public async Task MethodMismatchesOptionsAndRedirectsKeepTheRoutersAnswers()
    {
        await using var daemon = await StartAsync();
        using var other = SourceBound.Http(SourceBound.Other, daemon.HttpPort);
        (await SendAsync(other, "GET", "/topic/delete?topic=orders", null)).Status.Should().Be(405);
        (await SendAsync(other, "OPTIONS", "/topic/delete", null)).Status.Should().Be(200);
        (await SendAsync(other, "POST", "/topic/delete/?topic=orders", null)).Status.Should().Be(307);
        (await SendAsync(other, "POST", "/no/such/route", null)).Status.Should().Be(404);
    }

    [Fact]
    public async Task ARewrittenTokenFile_TakesEffectWithoutARestart()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpAdminTokenFile = _tokenFile });
        Seed(daemon);
        using var other = SourceBound.Http(SourceBound.Other, daemon.HttpPort);
        (await SendAsync(other, "GET", "/debug", "Bearer " + Secret)).Status.Should().Be(200);

        File.WriteAllText(_tokenFile, "rotated-token\n");
        await Eventually.TrueAsync(async () => (await SendAsync(other, "GET", "/debug", "Bearer rotated-token")).Status == 200, TimeSpan.FromSeconds(10));
        (await SendAsync(other, "GET", "/debug", "Bearer " + Secret)).Status.Should().Be(403);

        // With only a token configured, even loopback needs it.
        (await SendAsync(daemon.Http, "GET", "/debug", null)).Status.Should().Be(403);
    }

    [Fact]
    public async Task ATokenFileWithSpacesAroundTheToken_IsNamedInAWarningAndTheTokenOpens()
    {
        File.WriteAllText(_tokenFile, Secret + " \n");
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpAdminTokenFile = _tokenFile });

        daemon.Logs.Lines.Should().Contain(
            $"WARNING: HTTP: admin token file {_tokenFile} has spaces, tabs or blank lines around the token; they are not part of it");
        (await SendAsync(daemon.Http, "GET", "/debug", "Bearer " + Secret)).Status.Should().Be(200);
    }

    [Fact]
    public async Task ARotationToATokenSpanningTwoLines_KeepsThePreviousTokenAndSaysWhy()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpAdminTokenFile = _tokenFile });
        (await SendAsync(daemon.Http, "GET", "/debug", "Bearer " + Secret)).Status.Should().Be(200);

        File.WriteAllText(_tokenFile, "new-token\nsecond line\n");

        var expected = $"WARNING: HTTP: admin token file {_tokenFile} could not be re-read, keeping the previous token - "
            + "the token spans more than one line, and an Authorization header carries one line (put only the token in the file)";
        await Eventually.TrueAsync(async () =>
        {
            (await SendAsync(daemon.Http, "GET", "/debug", "Bearer " + Secret)).Status.Should().Be(200);
            return daemon.Logs.Lines.Contains(expected);
        });
        (await SendAsync(daemon.Http, "GET", "/debug", "Bearer new-token")).Status.Should().Be(403);
    }

    public void Dispose() => File.Delete(_tokenFile);

    private static string WriteToken(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nsqlookupd-token-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        return path;
    }

    private static void Seed(TestDaemon daemon) => HttpKit.Seed(daemon, "p1", HttpKit.Body(), "orders", "orders/billing");

    private async Task<TestDaemon> StartAsync()
    {
        var daemon = await TestDaemon.StartAsync(output, o => o with { HttpAdminAllow = ["127.0.0.1/32"], HttpAdminTokenFile = _tokenFile });
        Seed(daemon);
        return daemon;
    }

    /// <summary>Everything a mutation could change, read from the allowed source.</summary>
    private static async Task<string> DirectoryAsync(TestDaemon daemon) =>
        await daemon.Http.GetStringAsync("/topics") + await daemon.Http.GetStringAsync("/channels?topic=orders")
        + await daemon.Http.GetStringAsync("/lookup?topic=orders") + await daemon.Http.GetStringAsync("/channels?topic=new_topic");

    private static async Task<Reply> SendAsync(HttpClient client, string method, string target, string? authorization)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);
        return await Reply.FromAsync(response);
    }
}
