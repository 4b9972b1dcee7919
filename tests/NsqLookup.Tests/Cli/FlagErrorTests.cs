namespace NsqLookup.Tests.Cli;

public sealed class FlagErrorTests
{
    [Theory] // T111, T112 and Go's other flag errors: message line, usage, exit 2
    [InlineData("flag provided but not defined: -bogus", "--bogus")]
    [InlineData("flag provided but not defined: -bogus", "-bogus=1")]
    [InlineData("flag provided but not defined: -Version", "-Version")]
    [InlineData("invalid value \"loud\" for flag -log-level: invalid log level 'loud' (debug, info, warn, error, fatal)", "--log-level=loud")]
    [InlineData("invalid value \"warning\" for flag -log-level: invalid log level 'warning' (debug, info, warn, error, fatal)", "-log-level", "warning")]
    [InlineData("invalid value \"abc\" for flag -tombstone-lifetime: parse error", "-tombstone-lifetime=abc")]
    [InlineData("invalid value \"1000\" for flag -inactive-producer-timeout: parse error", "--inactive-producer-timeout", "1000")]
    [InlineData("invalid value \"\" for flag -tombstone-lifetime: parse error", "-tombstone-lifetime=")]
    [InlineData("invalid boolean value \"yes\" for -version: parse error", "-version=yes")]
    [InlineData("invalid boolean value \"\" for -verbose: parse error", "--verbose=")]
    [InlineData("flag needs an argument: -tcp-address", "--tcp-address")]
    [InlineData("flag needs an argument: -log-level", "-log-level")]
    [InlineData("bad flag syntax: ---tcp-address", "---tcp-address")]
    [InlineData("bad flag syntax: -=x", "-=x")]
    public void Errors_PrintGoTextThenUsageAndExit2(string message, params string[] args)
    {
        var run = CliRun.Of(args);
        run.ExitCode.Should().Be(2);
        run.Stdout.Should().BeEmpty();
        run.Stderr.Should().Be(message + "\n" + CliRun.ExpectedUsage);
    }

    [Fact]
    public void QuotedValues_UseGoEscapes() =>
        CliRun.Of("-log-level=a\"b\\c\n").Stderr.Should()
            .StartWith("invalid value \"a\\\"b\\\\c\\n\" for flag -log-level: invalid log level 'a\"b\\c\n'");

    [Fact]
    public void TheFirstError_Wins() =>
        CliRun.Of("--log-level=loud", "--bogus").Stderr.Should().StartWith("invalid value \"loud\"");

    [Fact]
    public void AnErrorAfterVersion_StillExits2() =>
        CliRun.Of("--version", "--bogus").Should().Match<CliRun>(r => r.ExitCode == 2 && r.Stdout.Length == 0);
}
