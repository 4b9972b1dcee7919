using NsqLookup.Http;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>The access log's elapsed time reads like Go's <c>time.Duration.String</c>.</summary>
public sealed class ElapsedTextTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "100ns")]
    [InlineData(10L, "1µs")]
    [InlineData(412_910L, "41.291ms")]
    [InlineData(412L, "41.2µs")]
    [InlineData(10_000L, "1ms")]
    [InlineData(15_000_000L, "1.5s")]
    [InlineData(600_000_000L, "1m0s")]
    [InlineData(1_234_567_890L, "2m3.456789s")]
    [InlineData(36_000_000_000L, "1h0m0s")]
    [InlineData(-15_000L, "-1.5ms")]
    public void Formats_LikeGo(long ticks, string expected) =>
        ElapsedText.Format(TimeSpan.FromTicks(ticks)).Should().Be(expected);
}
