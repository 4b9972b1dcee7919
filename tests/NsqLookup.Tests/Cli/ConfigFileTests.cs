using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Cli;
using NsqLookup.Logging;

namespace NsqLookup.Tests.Cli;

/// <summary>--config (docs/protocol.md, "Command line and config file"): keys, typing, precedence, and the original's
/// exact error lines.</summary>
public sealed class ConfigFileTests
{
    private static readonly FakeTimeProvider Clock = CreateClock();

    private static FakeTimeProvider CreateClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 42, 51, TimeSpan.Zero).AddTicks(1234567));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }

    private sealed record Outcome(int? ExitCode, NsqLookupOptions Options, string Stderr);

    private static Outcome Resolve(string toml, params string[] flags)
    {
        using var file = new TempConfig(toml);
        return ResolvePath(file.Path, flags);
    }

    private static Outcome ResolvePath(string path, params string[] flags)
    {
        var run = CliRun.Of([$"--config={path}", .. flags]);
        run.ExitCode.Should().BeNull(run.Stderr);
        using var stderr = new StringWriter();
        var exit = ConfigFile.TryResolve(run.Result, stderr, out var options, Clock);
        return new Outcome(exit, options, stderr.ToString());
    }

    [Fact]
    public void WithoutConfigTheCommandLineOptions_Stand()
    {
        var run = CliRun.Of("--tcp-address=127.0.0.1:1");
        using var stderr = new StringWriter();
        ConfigFile.TryResolve(run.Result, stderr, out var options, Clock).Should().BeNull();
        options.Should().Be(run.Result.Options);
        stderr.ToString().Should().BeEmpty();
    }

    [Fact]
    public void EveryKey_IsRead()
    {
        var o = Resolve("""
            tcp_address = "127.0.0.1:5160"
            http_address = "127.0.0.1:5161"
            broadcast_address = "lk1.example"
            inactive_producer_timeout = "90s"
            tombstone_lifetime = "1m30s"
            log_level = "WARN"
            log_prefix = "[x] "
            log_format = "json"
            quiet_pings = true
            """);
        o.ExitCode.Should().BeNull(o.Stderr);
        o.Options.Should().Be(new NsqLookupOptions
        {
            TcpAddress = "127.0.0.1:5160",
            HttpAddress = "127.0.0.1:5161",
            BroadcastAddress = "lk1.example",
            InactiveProducerTimeout = TimeSpan.FromSeconds(90),
            TombstoneLifetime = TimeSpan.FromSeconds(90),
            LogLevel = LogLevel.Warning,
            LogPrefix = "[x] ",
            LogFormat = LogFormat.Json,
            QuietPings = true,
        });
    }

    [Fact]
    public void OperationsAdditions_AreReadFromTheFileAndFlagsWin()
    {
        var o = Resolve("prune_empty_keys_after = \"10m\"\nshutdown_timeout = 2000");
        o.ExitCode.Should().BeNull(o.Stderr);
        o.Options.PruneEmptyKeysAfter.Should().Be(TimeSpan.FromMinutes(10));
        o.Options.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(2));

        var flags = Resolve("prune_empty_keys_after = \"10m\"", "--prune-empty-keys-after=1h");
        flags.Options.PruneEmptyKeysAfter.Should().Be(TimeSpan.FromHours(1));
        Resolve("").Options.PruneEmptyKeysAfter.Should().Be(TimeSpan.Zero, "pruning is off unless asked for");
        Resolve("").Options.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void HttpMaxConnections_IsReadFromTheFileAndTheFlagWins()
    {
        Resolve("http_max_connections = 500").Options.HttpMaxConnections.Should().Be(500);
        Resolve("http_max_connections = \"0x100\"").Options.HttpMaxConnections.Should().Be(256);
        Resolve("http_max_connections = 0").Options.HttpMaxConnections.Should().Be(0);
        Resolve("http_max_connections = 500", "--http-max-connections=7").Options.HttpMaxConnections.Should().Be(7);
        Resolve("").Options.HttpMaxConnections.Should().Be(10_000);
    }

    [Fact]
    public void UnknownKeysAndConfigVersionVerbose_AreIgnored()
    {
        var o = Resolve("""
            config = "/elsewhere.toml"
            version = true
            verbose = true
            lookupd_tcp_address = ["a:1"]
            tcp-address = "127.0.0.1:9"
            [tcp_address_table]
            tcp_address = "127.0.0.1:9"
            """);
        o.ExitCode.Should().BeNull(o.Stderr);
        o.Options.Should().Be(new NsqLookupOptions());
    }

    [Fact] // T115
    public void CommandLine_BeatsFileBeatsDefault()
    {
        var o = Resolve("""
            log_level = "warn"
            tcp_address = "127.0.0.1:5160"
            tombstone_lifetime = "10s"
            """, "--log-level=info", "--tcp-address", "127.0.0.1:6160");
        o.ExitCode.Should().BeNull(o.Stderr);
        o.Options.LogLevel.Should().Be(LogLevel.Information);
        o.Options.TcpAddress.Should().Be("127.0.0.1:6160");
        o.Options.TombstoneLifetime.Should().Be(TimeSpan.FromSeconds(10));
        o.Options.HttpAddress.Should().Be("0.0.0.0:4161");
    }

    [Fact]
    public void AFlagExplicitlySetToItsDefault_StillBeatsTheFile()
    {
        var o = Resolve("quiet_pings = true\nlog_prefix = \"[x] \"", "--quiet-pings=false", "--log-prefix=");
        o.Options.QuietPings.Should().BeFalse();
        o.Options.LogPrefix.Should().BeEmpty();
    }

    [Theory] // T116: a TOML integer is milliseconds
    [InlineData("inactive_producer_timeout = 1000", 1000)]
    [InlineData("inactive_producer_timeout = 0", 0)]
    [InlineData("inactive_producer_timeout = \"1500ms\"", 1500)]
    [InlineData("inactive_producer_timeout = \"0\"", null)]
    public void Durations_AreGoStringsOrIntegerMilliseconds(string toml, int? ms)
    {
        var o = Resolve(toml);
        if (ms is null)
        {
            o.ExitCode.Should().Be(1);
            return;
        }

        o.ExitCode.Should().BeNull(o.Stderr);
        o.Options.InactiveProducerTimeout.Should().Be(TimeSpan.FromMilliseconds(ms.Value));
    }

    [Fact]
    public void MissingFile_IsTheOriginalFatalLine()
    {
        var o = ResolvePath("/nonexistent");
        o.ExitCode.Should().Be(1);
        o.Stderr.Should().Be(
            "[nsqlookupd] 2026/11/25 10:42:51.123456 FATAL: failed to load config file /nonexistent - open /nonexistent: no such file or directory\n");
    }

    [Fact]
    public void ADirectory_IsNotAConfigFile()
    {
        var dir = Path.GetTempPath().TrimEnd('/');
        var o = ResolvePath(dir);
        o.ExitCode.Should().Be(1);
        o.Stderr.Should().EndWith($" FATAL: failed to load config file {dir} - read {dir}: is a directory\n");
    }

    [Theory]
    [InlineData("tcp_address = \n", 1)]
    [InlineData("a = 1\na = 2\n", 2)]
    [InlineData("log_level = \"warn\"\n[t]\nx = 1\n[t]\n", 4)]
    [InlineData("tcp_address = \"unterminated\n", 1)]
    public void TomlErrors_AreLoadFailures(string toml, int line)
    {
        using var file = new TempConfig(toml);
        var o = ResolvePath(file.Path);
        o.ExitCode.Should().Be(1);
        o.Stderr.Should().StartWith($"[nsqlookupd] 2026/11/25 10:42:51.123456 FATAL: failed to load config file {file.Path} - toml: line {line}: ");
        o.Stderr.TrimEnd('\n').Should().NotContain("\n");
    }

    [Theory] // T117
    [InlineData("log_level = \"loud\"", "loud")]
    [InlineData("log_level = \"warning\"", "warning")]
    [InlineData("log_level = 3", "3")]
    [InlineData("log_level = true", "true")]
    [InlineData("log_level = [\"warn\", 1.0e6]", "[warn 1e+06]")]
    public void BadLogLevel_IsFatal(string toml, string shown)
    {
        var o = Resolve(toml);
        o.ExitCode.Should().Be(1);
        o.Stderr.Should().Be($"[nsqlookupd] 2026/11/25 10:42:51.123456 FATAL: failed parsing log_level {shown}\n");
    }

    [Fact] // the original validates log_level before it looks at the command line
    public void BadLogLevel_IsFatalEvenWhenTheFlagIsGiven()
    {
        var o = Resolve("log_level = \"loud\"", "--log-level=info");
        o.ExitCode.Should().Be(1);
        o.Stderr.Should().EndWith(" FATAL: failed parsing log_level loud\n");
    }

    [Fact]
    public void BadLogFormat_IsFatal()
    {
        var o = Resolve("log_format = \"xml\"");
        o.ExitCode.Should().Be(1);
        o.Stderr.Should().Be("[nsqlookupd] 2026/11/25 10:42:51.123456 FATAL: failed parsing log_format xml\n");
    }

    [Theory]
    [InlineData("tombstone_lifetime = \"abc\"", "abc (45s) for field TombstoneLifetime - time: invalid duration \"abc\"")]
    [InlineData("tombstone_lifetime = \"5\"", "5 (45s) for field TombstoneLifetime - time: invalid duration \"\"")]
    [InlineData("tombstone_lifetime = \"5x\"", "5x (45s) for field TombstoneLifetime - time: unknown unit \"x\" in duration \"5x\"")]
    [InlineData("inactive_producer_timeout = 1.5", "1.5 (5m0s) for field InactiveProducerTimeout - invalid value type")]
    [InlineData("inactive_producer_timeout = 1000.0", "1000 (5m0s) for field InactiveProducerTimeout - invalid value type")]
    [InlineData("inactive_producer_timeout = true", "true (5m0s) for field InactiveProducerTimeout - invalid value type")]
    [InlineData("quiet_pings = \"yes\"", "yes (false) for field QuietPings - strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [InlineData("quiet_pings = 1", "1 (false) for field QuietPings - invalid value type")]
    [InlineData("http_max_connections = -1", "-1 (10000) for field HTTPMaxConnections - must be between 0 and 2147483647")]
    [InlineData("http_max_connections = \"x\"", "x (10000) for field HTTPMaxConnections - strconv.ParseInt: parsing \"x\": parse error")]
    [InlineData("http_max_connections = 1.5", "1.5 (10000) for field HTTPMaxConnections - invalid value type")]
    public void UncoercibleValues_AreGoOptionsErrors(string toml, string rest)
    {
        var o = Resolve(toml);
        o.ExitCode.Should().Be(1);
        o.Stderr.Should().Be($"2026/11/25 10:42:51 ERROR: Resolve failed to coerce value {rest}\n");
    }

    [Fact] // the first failing field in nsqlookupd.Options order wins
    public void Fields_AreResolvedInTheOriginalOrder()
    {
        var o = Resolve("tombstone_lifetime = \"abc\"\ninactive_producer_timeout = \"def\"");
        o.Stderr.Should().Contain("for field InactiveProducerTimeout");
    }

    [Theory] // docs/protocol.md, "Deliberate differences" item 7: rejected instead of Go's "%!s(int64=4160)"
    [InlineData("tcp_address = 4160", "tcp_address 4160")]
    [InlineData("http_address = [\"a\"]", "http_address [a]")]
    [InlineData("broadcast_address = false", "broadcast_address false")]
    [InlineData("log_prefix = 1.5", "log_prefix 1.5")]
    public void NonStringValuesForStringOptions_AreFatal(string toml, string shown)
    {
        var o = Resolve(toml);
        o.ExitCode.Should().Be(1);
        o.Stderr.Should().Be($"[nsqlookupd] 2026/11/25 10:42:51.123456 FATAL: failed parsing {shown} - expected a string\n");
    }

    [Fact]
    public void AStringOptionGivenOnTheCommandLine_IsNotTypeCheckedInTheFile()
    {
        var o = Resolve("tcp_address = 4160", "--tcp-address=127.0.0.1:0");
        o.ExitCode.Should().BeNull(o.Stderr);
        o.Options.TcpAddress.Should().Be("127.0.0.1:0");
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(1000.0, "1000")]
    [InlineData(100000.0, "100000")]
    [InlineData(1e6, "1e+06")]
    [InlineData(123456789.0, "1.23456789e+08")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.5e-10, "-2.5e-10")]
    [InlineData(0.0, "0")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    public void Floats_PrintLikeGo(double value, string expected) =>
        GoValue.FormatFloat(value).Should().Be(expected);
}
