using Microsoft.Extensions.Logging;

namespace NsqLookup.Tests.Cli;

public sealed class FlagSyntaxTests
{
    [Theory] // T113
    [InlineData("-tcp-address=127.0.0.1:0")]
    [InlineData("--tcp-address=127.0.0.1:0")]
    [InlineData("--tcp-address", "127.0.0.1:0")]
    [InlineData("-tcp-address", "127.0.0.1:0")]
    public void TcpAddressForms_AreEquivalent(params string[] args)
    {
        var run = CliRun.Of(args);
        run.ExitCode.Should().BeNull();
        run.Stderr.Should().BeEmpty();
        run.Result.Options.TcpAddress.Should().Be("127.0.0.1:0");
        run.Result.ExplicitFlags.Should().BeEquivalentTo("tcp-address");
    }

    [Theory] // T113
    [InlineData("--inactive-producer-timeout=1500ms", 1500)]
    [InlineData("--inactive-producer-timeout=5m", 300_000)]
    [InlineData("-inactive-producer-timeout", "1h30m", 5_400_000)]
    public void InactiveProducerTimeout_TakesGoDurations(string flag, object a, object? b = null)
    {
        var args = b is null ? new[] { flag } : new[] { flag, (string)a };
        var ms = (int)(b ?? a);
        var run = CliRun.Of(args);
        run.ExitCode.Should().BeNull();
        run.Result.Options.InactiveProducerTimeout.Should().Be(TimeSpan.FromMilliseconds(ms));
    }

    [Fact]
    public void EveryFlag_SetsItsOptionAndIsRecordedAsExplicit()
    {
        var run = CliRun.Of(
            "-tcp-address=:1", "--http-address", "[::1]:2", "-broadcast-address=b.example",
            "-inactive-producer-timeout=2s", "--tombstone-lifetime=3s", "-log-level=WARN",
            "-log-prefix=[x] ", "--config=/etc/nsqlookupd.cfg", "-verbose");
        run.ExitCode.Should().BeNull();
        run.Stderr.Should().BeEmpty();
        var o = run.Result.Options;
        o.TcpAddress.Should().Be(":1");
        o.HttpAddress.Should().Be("[::1]:2");
        o.BroadcastAddress.Should().Be("b.example");
        o.InactiveProducerTimeout.Should().Be(TimeSpan.FromSeconds(2));
        o.TombstoneLifetime.Should().Be(TimeSpan.FromSeconds(3));
        o.LogLevel.Should().Be(LogLevel.Warning);
        o.LogPrefix.Should().Be("[x] ");
        run.Result.ConfigPath.Should().Be("/etc/nsqlookupd.cfg");
        run.Result.ExplicitFlags.Should().BeEquivalentTo(
            "tcp-address", "http-address", "broadcast-address", "inactive-producer-timeout", "tombstone-lifetime",
            "log-level", "log-prefix", "config", "verbose");
    }

    [Fact]
    public void NoFlags_GivesTheDefaults()
    {
        var run = CliRun.Of();
        run.ExitCode.Should().BeNull();
        run.Result.Options.Should().Be(new NsqLookupOptions());
        run.Result.ConfigPath.Should().BeNull();
        run.Result.ExplicitFlags.Should().BeEmpty();
    }

    [Fact]
    public void EmptyLogPrefix_IsAllowed() =>
        CliRun.Of("--log-prefix=").Result.Options.LogPrefix.Should().BeEmpty();

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("Info", LogLevel.Information)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("ERROR", LogLevel.Error)]
    [InlineData("fatal", LogLevel.Critical)]
    public void LogLevels_AreCaseInsensitive(string name, LogLevel expected) =>
        CliRun.Of("--log-level", name).Result.Options.LogLevel.Should().Be(expected);

    [Fact]
    public void AValueThatLooksLikeAFlag_IsStillTheValue() =>
        CliRun.Of("-log-prefix", "-x", "-tcp-address=:9").Result.Options
            .Should().Match<NsqLookupOptions>(o => o.LogPrefix == "-x" && o.TcpAddress == ":9");

    [Fact]
    public void Parsing_StopsAtTheFirstPositionalArgument()
    {
        var run = CliRun.Of("-tcp-address=:1", "extra", "--bogus", "-tcp-address=:2");
        run.ExitCode.Should().BeNull();
        run.Stderr.Should().BeEmpty();
        run.Result.Options.TcpAddress.Should().Be(":1");
    }

    [Fact]
    public void Parsing_StopsAfterDoubleDash()
    {
        var run = CliRun.Of("--", "--bogus", "-version");
        run.ExitCode.Should().BeNull();
        run.Stdout.Should().BeEmpty();
        run.Stderr.Should().BeEmpty();
    }

    [Fact]
    public void ALoneDash_IsAPositionalArgument() =>
        CliRun.Of("-", "--bogus").ExitCode.Should().BeNull();

    [Fact]
    public void LaterFlags_OverrideEarlierOnes() =>
        CliRun.Of("-tcp-address=:1", "--tcp-address=:2").Result.Options.TcpAddress.Should().Be(":2");

    [Theory]
    [InlineData("-verbose")]
    [InlineData("--verbose=true")]
    [InlineData("-verbose=0")]
    public void Verbose_IsAcceptedAndIgnored(string flag)
    {
        var run = CliRun.Of(flag);
        run.ExitCode.Should().BeNull();
        run.Result.Options.Should().Be(new NsqLookupOptions());
    }

    [Fact]
    public void ABoolFlag_NeverConsumesTheNextArgument()
    {
        // "false" is a positional argument, so flag parsing stops there and the version still prints
        var run = CliRun.Of("-version", "false", "--bogus");
        run.ExitCode.Should().Be(0);
        run.Stdout.Should().StartWith("nsqlookupd v1.3.0");
    }
}
