namespace NsqLookup.Core.Tests;

/// <summary>Expected strings are what Go's <c>time.Duration.String</c> prints for the same value.</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(999L, "999ns")]
    [InlineData(1_000L, "1µs")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(1_100_000L, "1.1ms")]
    [InlineData(250_000_000L, "250ms")]
    [InlineData(999_999_999L, "999.999999ms")]
    [InlineData(1_000_000_000L, "1s")]
    [InlineData(15_001_234_567L, "15.001234567s")]
    [InlineData(60_500_000_000L, "1m0.5s")]
    [InlineData(300_000_000_000L, "5m0s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(5_430_100_000_000L, "1h30m30.1s")]
    [InlineData(-1_500_000_000L, "-1.5s")]
    [InlineData(-1L, "-1ns")]
    [InlineData(long.MaxValue, "2562047h47m16.854775807s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void Format_Nanoseconds_MatchesGo(long nanoseconds, string expected) =>
        GoDuration.Format(nanoseconds).Should().Be(expected);

    [Fact]
    public void Format_TimeSpan_UsesTickPrecision()
    {
        GoDuration.Format(TimeSpan.FromSeconds(15) + TimeSpan.FromTicks(12345)).Should().Be("15.0012345s");
        GoDuration.Format(TimeSpan.Zero).Should().Be("0s");
        GoDuration.Format(TimeSpan.FromMilliseconds(250)).Should().Be("250ms");
        GoDuration.Format(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(500)).Should().Be("1m0.5s");
    }

    [Fact]
    public void Format_TimeSpan_SaturatesBeyondGoRange()
    {
        GoDuration.Format(TimeSpan.MaxValue).Should().Be("2562047h47m16.854775807s");
        GoDuration.Format(TimeSpan.MinValue).Should().Be("-2562047h47m16.854775808s");
    }
}
