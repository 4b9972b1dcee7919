namespace NsqLookup.Core.Tests;

public sealed class GoDurationParseTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("300s", 300_000_000_000L)]
    [InlineData("5m", 300_000_000_000L)]
    [InlineData("5m0s", 300_000_000_000L)]
    [InlineData("45s", 45_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("1500ms", 1_500_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("100ns", 100L)]
    [InlineData("3us", 3_000L)]
    [InlineData("3\u00b5s", 3_000L)]
    [InlineData("3\u03bcs", 3_000L)]
    [InlineData("-1.5h", -5_400_000_000_000L)]
    [InlineData("+2m", 120_000_000_000L)]
    [InlineData("1h1m1s1ms1us100ns", 3_661_001_001_100L)]
    [InlineData("0.000000001h", 3_600L)]
    [InlineData("9223372036s", 9_223_372_036_000_000_000L)]
    public void AcceptsGoSyntax(string text, long nanoseconds)
    {
        GoDuration.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromTicks(nanoseconds / 100));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("1")]
    [InlineData("1000")]
    [InlineData("abc")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("-.s")]
    [InlineData("1x")]
    [InlineData("1S")]
    [InlineData("1 s")]
    [InlineData(" 1s")]
    [InlineData("1s ")]
    [InlineData("1d")]
    [InlineData("1.2.3s")]
    [InlineData("9223372037s")]
    [InlineData("99999999999999999999ns")]
    [InlineData("00")]
    public void RejectsWhatGoRejects(string text) =>
        GoDuration.TryParse(text, out _).Should().BeFalse();

    [Theory]
    [InlineData("abc", "time: invalid duration \"abc\"")]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("1000", "time: missing unit in duration \"1000\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    public void ReportsGoErrorText(string text, string expected)
    {
        GoDuration.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be(expected);
    }

    [Fact]
    public void NegativeExtreme_IsAllowed() =>
        GoDuration.TryParse("-9223372036854775808ns", out _).Should().BeTrue();
}
