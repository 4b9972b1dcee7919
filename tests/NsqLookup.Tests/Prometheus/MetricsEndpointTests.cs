using Microsoft.Extensions.Primitives;
using NsqLookup.Http;
using NsqLookup.Prometheus;

namespace NsqLookup.Tests.Prometheus;

/// <summary>Which exposition <c>GET /metrics</c> answers for a given <c>Accept</c>.</summary>
public sealed class MetricsEndpointTests
{
    [Theory]
    // Prometheus 2.x's scrape header.
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", true)]
    [InlineData("application/openmetrics-text; version=1.0.0; charset=utf-8", true)]
    [InlineData("APPLICATION/OPENMETRICS-TEXT", true)]
    [InlineData("text/plain;version=0.0.4;q=0.5,application/openmetrics-text;q=0.5", true)]
    [InlineData("text/plain;version=0.0.4", false)]
    [InlineData("text/plain;version=0.0.4,application/openmetrics-text;version=1.0.0;q=0.5", false)]
    [InlineData("application/openmetrics-text;q=0", false)]
    [InlineData("application/openmetrics-text;q=bogus", false)]
    [InlineData("*/*", false)]
    [InlineData("", false)]
    public void OpenMetrics_OnlyWhenItIsAcceptableAndPreferred(string accept, bool expected) =>
        MetricsEndpoint.AcceptsOpenMetrics(new StringValues(accept)).Should().Be(expected);

    [Fact]
    public void NoHeader_GetsText() => MetricsEndpoint.AcceptsOpenMetrics(StringValues.Empty).Should().BeFalse();
}
