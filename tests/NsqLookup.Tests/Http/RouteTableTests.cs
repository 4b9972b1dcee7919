using NsqLookup.Http;

namespace NsqLookup.Tests.Http;

/// <summary>
/// The route table (<see cref="HttpApi.Routes"/>) against nsqlookupd/http.go <c>newHTTPServer</c> (docs/protocol.md,
/// "Routing"): every route, its method, access class, response kind and access logging; and the router's rules computed
/// from any table, so that a new route is one row.
/// </summary>
public sealed class RouteTableTests
{
    /// <summary>Method, path, access class, access-logged: the Go original's routes plus <c>/metrics</c>.</summary>
    public static TheoryData<string, string, string, bool> Expected => new()
    {
        { "GET", "/ping", "Read", true },
        { "GET", "/info", "Read", true },
        { "GET", "/debug", "Debug", true },
        { "GET", "/lookup", "Read", true },
        { "GET", "/topics", "Read", true },
        { "GET", "/channels", "Read", true },
        { "GET", "/nodes", "Read", true },
        { "POST", "/topic/create", "Admin", true },
        { "POST", "/topic/delete", "Admin", true },
        { "POST", "/channel/create", "Admin", true },
        { "POST", "/channel/delete", "Admin", true },
        { "POST", "/topic/tombstone", "Admin", true },
        { "GET", "/debug/pprof", "Debug", false },
        { "GET", "/debug/pprof/cmdline", "Debug", false },
        { "GET", "/debug/pprof/symbol", "Debug", false },
        { "POST", "/debug/pprof/symbol", "Debug", false },
        { "GET", "/debug/pprof/profile", "Debug", false },
        { "GET", "/debug/pprof/heap", "Debug", false },
        { "GET", "/debug/pprof/goroutine", "Debug", false },
        { "GET", "/debug/pprof/block", "Debug", false },
        { "GET", "/debug/pprof/threadcreate", "Debug", false },
        { "GET", "/metrics", "Read", false },
    };

    internal static RouteRow Row(string method, string path) => HttpApi.Routes.Single(r => r.Method == method && r.Path == path);

    [Theory]
    [MemberData(nameof(Expected))]
    public void EveryRoute_HasItsAccessClassAndLogging(string method, string path, string access, bool logged)
    {
        var row = Row(method, path);
        row.Access.Should().Be(Enum.Parse<RouteAccess>(access));
        row.AccessLogged.Should().Be(logged);
    }

    [Fact]
    public void TheTable_HoldsExactlyTheseRoutes() =>
        HttpApi.Routes.Select(r => (r.Method, r.Path)).Should().BeEquivalentTo(
            Expected.Select(e => ((string)e[0], (string)e[1])));

    [Fact]
    public void OnlyTheQueriesAndTheScrapeAreOpen_EveryChangeAndEveryDebugRouteIsChecked()
    {
        // nsqd's /channels fetch and nsqadmin's reads carry no credentials; anything that writes is a POST.
        HttpApi.Routes.Where(r => r.Access == RouteAccess.Read).Select(r => r.Path).Should().BeEquivalentTo(
            ["/ping", "/info", "/lookup", "/topics", "/channels", "/nodes", "/metrics"]);
        HttpApi.Routes.Where(r => r.Method == "POST").Should().OnlyContain(r => r.Access != RouteAccess.Read);
        HttpApi.Routes.Where(r => r.Path.StartsWith("/debug", StringComparison.Ordinal))
            .Should().OnlyContain(r => r.Access == RouteAccess.Debug);
    }

    [Fact]
    public void AHandler_IsThereExactlyWhenTheResponseKindNeedsOne()
    {
        foreach (var row in HttpApi.Routes)
        {
            (row.Handler is not null).Should().Be(row.Response is ResponseKind.V1 or ResponseKind.Text, row.Path);
        }
    }

    [Fact]
    public void EveryPath_IsClean() =>
        HttpApi.Routes.Should().OnlyContain(r => PathCleaner.Clean(r.Path) == r.Path && r.Path != "/");

    [Fact]
    public void OneMoreRow_IsRoutedRedirectedAndAllowed()
    {
        RouteRow extra = new("PUT", "/topic/pause", Handler: null, ResponseKind.V1, RouteAccess.Admin, AccessLogged: true);
        var router = new Router([.. HttpApi.Routes, extra]);
        router.Resolve("PUT", "/topic/pause").Should().Be(new RouteDecision(RouteDecisionKind.Handle, extra));
        router.Resolve("PUT", "/Topic/Pause/").Should().Be(new RouteDecision(RouteDecisionKind.Redirect, Location: "/topic/pause"));
        router.Resolve("GET", "/topic/pause").Should().Be(new RouteDecision(RouteDecisionKind.MethodNotAllowed, Allow: "OPTIONS, PUT"));
        router.Resolve("OPTIONS", "/topic/pause").Should().Be(new RouteDecision(RouteDecisionKind.Options, Allow: "OPTIONS, PUT"));
        router.Resolve("PUT", "/ping").Should().Be(new RouteDecision(RouteDecisionKind.MethodNotAllowed, Allow: "GET, OPTIONS"));
    }

    [Fact]
    public void ARouteTwice_IsRefused()
    {
        var ping = Row("GET", "/ping");
        var act = () => new Router([ping, ping with { AccessLogged = false }]);
        act.Should().Throw<ArgumentException>().WithMessage("*GET /ping*");
    }
}
