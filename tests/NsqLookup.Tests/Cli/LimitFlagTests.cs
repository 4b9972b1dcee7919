using NsqLookup.Cli;

namespace NsqLookup.Tests.Cli;

/// <summary>The hardening flags (additions; docs/configuration.md, "Limits"): defaults, Go int/duration syntax, range
/// errors.</summary>
public sealed class LimitFlagTests
{
    [Fact]
    public void Defaults()
    {
        var o = CliRun.Of().Result.Options;
        o.MaxCommandLineLength.Should().Be(4096);
        o.MaxIdentifyBodySize.Should().Be(65536);
        o.HandshakeTimeout.Should().Be(TimeSpan.FromSeconds(10));
        o.MaxTcpConnections.Should().Be(10_000);
        o.HttpMaxConnections.Should().Be(10_000);
        o.HttpMaxHeaderSize.Should().Be(1024 * 1024);
        o.HttpMaxBodySize.Should().Be(1024 * 1024);
        o.HttpHeaderTimeout.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void EveryLimit_IsSettable()
    {
        var run = CliRun.Of(
            "--max-command-size=512", "-max-identify-body-size", "1024", "--handshake-timeout=1500ms",
            "--max-tcp-connections=0", "--http-max-header-size=0x10000", "--http-max-body-size=1_000",
            "--http-header-timeout=5s", "--http-max-connections=0x20");
        run.ExitCode.Should().BeNull();
        var o = run.Result.Options;
        o.MaxCommandLineLength.Should().Be(512);
        o.MaxIdentifyBodySize.Should().Be(1024);
        o.HandshakeTimeout.Should().Be(TimeSpan.FromMilliseconds(1500));
        o.MaxTcpConnections.Should().Be(0);
        o.HttpMaxConnections.Should().Be(32);
        o.HttpMaxHeaderSize.Should().Be(65536);
        o.HttpMaxBodySize.Should().Be(1000);
        o.HttpHeaderTimeout.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Theory] // strconv.ParseInt(s, 0, 64) as Go's flag.Int uses it
    [InlineData("4096", 4096L)]
    [InlineData("+12", 12L)]
    [InlineData("-12", -12L)]
    [InlineData("0x1F", 31L)]
    [InlineData("0o17", 15L)]
    [InlineData("017", 15L)]
    [InlineData("0b101", 5L)]
    [InlineData("1_000", 1000L)]
    [InlineData("0x_1f", 31L)]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void GoIntSyntax(string text, long expected)
    {
        GoInt.TryParse(text, out var value).Should().BeNull();
        value.Should().Be(expected);
    }

    [Theory]
    [InlineData("", GoInt.ParseError)]
    [InlineData("abc", GoInt.ParseError)]
    [InlineData("08", GoInt.ParseError)]
    [InlineData("1__0", GoInt.ParseError)]
    [InlineData("_1", GoInt.ParseError)]
    [InlineData("1_", GoInt.ParseError)]
    [InlineData("0x", GoInt.ParseError)]
    [InlineData("1.5", GoInt.ParseError)]
    [InlineData("9223372036854775808", GoInt.RangeError)]
    [InlineData("99999999999999999999999", GoInt.RangeError)]
    public void GoIntErrors(string text, string error) => GoInt.TryParse(text, out _).Should().Be(error);

    [Theory]
    [InlineData("invalid value \"x\" for flag -max-command-size: parse error", "--max-command-size=x")]
    [InlineData("invalid value \"0\" for flag -max-command-size: must be between 1 and 2147483647", "--max-command-size=0")]
    [InlineData("invalid value \"-1\" for flag -max-tcp-connections: must be between 0 and 2147483647", "--max-tcp-connections=-1")]
    [InlineData("invalid value \"-1\" for flag -http-max-connections: must be between 0 and 2147483647", "--http-max-connections=-1")]
    [InlineData("invalid value \"99999999999999999999\" for flag -http-max-body-size: value out of range", "--http-max-body-size=99999999999999999999")]
    [InlineData("invalid value \"-1s\" for flag -handshake-timeout: must not be negative", "--handshake-timeout=-1s")]
    [InlineData("invalid value \"0s\" for flag -http-header-timeout: must be positive", "--http-header-timeout=0s")]
    public void BadValues_Exit2WithUsage(string message, params string[] args)
    {
        var run = CliRun.Of(args);
        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Be(message + "\n" + CliRun.ExpectedUsage);
    }
}
