using NsqLookup.Http;

namespace NsqLookup.Tests.Http;

/// <summary>No-server tests of the httprouter v1.3.0 rules (docs/protocol.md, "Routing").</summary>
public sealed class RouterTests
{
    [Theory]
    [InlineData("GET", "/ping", "Text")]
    [InlineData("GET", "/lookup", "V1")]
    [InlineData("POST", "/topic/tombstone", "V1")]
    [InlineData("GET", "/debug/pprof", "PprofIndex")]
    [InlineData("POST", "/debug/pprof/symbol", "V1")]
    [InlineData("GET", "/metrics", "Metrics")]
    public void ExactPath_IsHandled(string method, string path, string response)
    {
        var decision = Router.Default.Resolve(method, path);
        decision.Should().Be(new RouteDecision(RouteDecisionKind.Handle, RouteTableTests.Row(method, path)));
        decision.Row!.Response.Should().Be(Enum.Parse<ResponseKind>(response));
    }

    [Theory]
    [InlineData("GET", "/ping/", "/ping")]
    [InlineData("GET", "/PING", "/ping")]
    [InlineData("GET", "/Ping/", "/ping")]
    [InlineData("GET", "//ping", "/ping")]
    [InlineData("GET", "/./ping", "/ping")]
    [InlineData("GET", "/a/../ping", "/ping")]
    [InlineData("GET", "/../ping", "/ping")]
    [InlineData("GET", "/ping//", "/ping")]
    [InlineData("GET", "/debug/pprof/", "/debug/pprof")]
    [InlineData("GET", "/DEBUG/PPROF/HEAP", "/debug/pprof/heap")]
    [InlineData("POST", "/topic/create/", "/topic/create")]
    [InlineData("POST", "/Channel//Delete", "/channel/delete")]
    public void RepairablePath_Redirects(string method, string path, string location) =>
        Router.Default.Resolve(method, path).Should().Be(new RouteDecision(RouteDecisionKind.Redirect, Location: location));

    [Theory]
    [InlineData("PUT", "/ping/")]
    [InlineData("HEAD", "/ping/")]
    [InlineData("OPTIONS", "/PING")]
    [InlineData("POST", "/ping/")]
    [InlineData("GET", "/topic/create/")]
    [InlineData("GET", "/")]
    [InlineData("POST", "/")]
    [InlineData("GET", "/pingx")]
    [InlineData("GET", "/topic")]
    [InlineData("GET", "/topic/")]
    [InlineData("GET", "/delete_topic")]
    public void NoRepair_Is404(string method, string path) =>
        Router.Default.Resolve(method, path).Kind.Should().Be(RouteDecisionKind.NotFound);

    [Theory]
    [InlineData("POST", "/ping", "GET, OPTIONS")]
    [InlineData("HEAD", "/ping", "GET, OPTIONS")]
    [InlineData("GET", "/topic/create", "OPTIONS, POST")]
    [InlineData("PUT", "/debug/pprof/symbol", "GET, OPTIONS, POST")]
    [InlineData("DELETE", "/lookup", "GET, OPTIONS")]
    public void OtherMethod_Is405_WithAllow(string method, string path, string allow) =>
        Router.Default.Resolve(method, path).Should().Be(new RouteDecision(RouteDecisionKind.MethodNotAllowed, Allow: allow));

    [Theory]
    [InlineData("/ping", "GET, OPTIONS")]
    [InlineData("/topic/delete", "OPTIONS, POST")]
    [InlineData("/debug/pprof/symbol", "GET, OPTIONS, POST")]
    public void Options_ListsAllowedMethods(string path, string allow) =>
        Router.Default.Resolve("OPTIONS", path).Should().Be(new RouteDecision(RouteDecisionKind.Options, Allow: allow));

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("/a//b", "/a/b")]
    [InlineData("/a/b/", "/a/b/")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/a/.", "/a/")]
    [InlineData("/a/b/..", "/a")]
    [InlineData("/a/b/../", "/a/")]
    [InlineData("/../..", "/")]
    [InlineData("/.../x", "/.../x")]
    public void CleanPath_MatchesHttprouter(string path, string cleaned) => PathCleaner.Clean(path).Should().Be(cleaned);

    [Theory]
    [InlineData("/ping", "/ping", "", false)]
    [InlineData("/ping?", "/ping", "", true)]
    [InlineData("/lookup?topic=a?b", "/lookup", "topic=a?b", true)]
    [InlineData("/%70ing?x", "/ping", "x", true)]
    [InlineData("/a+b", "/a+b", "", false)]
    [InlineData("http://host:1/ping?x=1", "/ping", "x=1", true)]
    public void RequestTarget_SplitsAndDecodesThePath(string raw, string path, string query, bool hasQuery)
    {
        RequestTarget.TryParse(raw, out var target).Should().BeTrue();
        target.Should().Be(new RequestTarget(path, query, hasQuery));
    }

    [Fact]
    public void RequestTarget_MalformedPathEscape_Fails() => RequestTarget.TryParse("/pi%g0ng", out _).Should().BeFalse();
}
