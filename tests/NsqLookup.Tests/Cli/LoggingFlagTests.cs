using NsqLookup.Logging;

namespace NsqLookup.Tests.Cli;

/// <summary>Our two logging flags: --log-format and --quiet-pings (defaults keep the original's behaviour).</summary>
public sealed class LoggingFlagTests
{
    [Fact]
    public void Defaults_AreTheOriginalBehaviour()
    {
        var run = CliRun.Of();
        run.Result.Options.LogFormat.Should().Be(LogFormat.Text);
        run.Result.Options.QuietPings.Should().BeFalse();
    }

    [Theory]
    [InlineData("--log-format=json", LogFormat.Json)]
    [InlineData("-log-format", "JSON", LogFormat.Json)]
    [InlineData("--log-format=text", LogFormat.Text)]
    public void LogFormat_IsTextOrJson(params object[] data)
    {
        var run = CliRun.Of(data[..^1].Cast<string>().ToArray());
        run.ExitCode.Should().BeNull(run.Stderr);
        run.Result.Options.LogFormat.Should().Be((LogFormat)data[^1]);
        run.Result.ExplicitFlags.Should().Contain("log-format");
    }

    [Fact]
    public void UnknownLogFormat_IsAFlagError()
    {
        var run = CliRun.Of("--log-format=xml");
        run.ExitCode.Should().Be(2);
        run.Stderr.Should().StartWith("invalid value \"xml\" for flag -log-format: invalid log format 'xml' (text, json)\nUsage of nsqlookupd:\n");
    }

    [Theory]
    [InlineData(true, "--quiet-pings")]
    [InlineData(true, "-quiet-pings=true")]
    [InlineData(false, "--quiet-pings=false")]
    public void QuietPings_IsABoolFlag(bool expected, string arg)
    {
        var run = CliRun.Of(arg, "rest");
        run.ExitCode.Should().BeNull(run.Stderr);
        run.Result.Options.QuietPings.Should().Be(expected);
    }
}
