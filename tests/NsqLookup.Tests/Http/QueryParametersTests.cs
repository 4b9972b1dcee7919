using NsqLookup.Http;

namespace NsqLookup.Tests.Http;

/// <summary>No-server tests of Go's <c>url.ParseQuery</c> semantics (docs/protocol.md, "Query strings").</summary>
public sealed class QueryParametersTests
{
    [Theory]
    [InlineData("topic=a", "topic", "a")]
    [InlineData("topic=a+b", "topic", "a b")]
    [InlineData("topic=a%20b%2b", "topic", "a b+")]
    [InlineData("topic", "topic", "")]
    [InlineData("topic=", "topic", "")]
    [InlineData("topic=b&topic=a", "topic", "b")]
    [InlineData("&&x=1&&topic=t&", "topic", "t")]
    [InlineData("topic=a=b", "topic", "a=b")]
    [InlineData("t%6Fpic=x", "topic", "x")]
    [InlineData("topic=%C3%A9", "topic", "é")]
    [InlineData("topic=e%23ephemeral", "topic", "e#ephemeral")]
    public void Parses_LikeGo(string query, string name, string expected)
    {
        QueryParameters.TryParse(query, out var parameters).Should().BeTrue();
        parameters!.TryGet(name, out var value).Should().BeTrue();
        value.Should().Be(expected);
    }

    [Theory]
    [InlineData("Topic=a")]
    [InlineData("")]
    [InlineData("topics=a")]
    public void Names_AreCaseSensitiveAndExact(string query)
    {
        QueryParameters.TryParse(query, out var parameters).Should().BeTrue();
        parameters!.TryGet("topic", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("topic=%zz")]
    [InlineData("topic=%4")]
    [InlineData("topic=%")]
    [InlineData("%zz=1&topic=a")]
    [InlineData("topic=t;x=1")]
    [InlineData("topic=a&;")]
    [InlineData(";")]
    public void MalformedEscapeOrSemicolon_IsAnError(string query) =>
        QueryParameters.TryParse(query, out _).Should().BeFalse();

    [Fact]
    public void PathUnescape_KeepsPlus()
    {
        QueryParameters.TryUnescape("/a+b%2F", out var path, plusIsSpace: false).Should().BeTrue();
        path.Should().Be("/a+b/");
    }
}
