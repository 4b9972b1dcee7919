using System.Runtime.InteropServices;

namespace NsqLookup.Tests.Cli;

public sealed class VersionAndHelpTests
{
    [Theory] // T110
    [InlineData("--version")]
    [InlineData("-version")]
    [InlineData("-version=true")]
    [InlineData("-version=1")]
    [InlineData("-version=t")]
    [InlineData("-version=T")]
    [InlineData("-version=TRUE")]
    [InlineData("-version=True")]
    public void Version_PrintsOneStdoutLineAndExits0(string flag)
    {
        var run = CliRun.Of(flag);
        run.ExitCode.Should().Be(0);
        run.Stdout.Should().Be($"nsqlookupd v1.3.0 (built w/{RuntimeInformation.FrameworkDescription})\n");
        run.Stdout.Should().StartWith("nsqlookupd v1.3.0 (built w/.NET ");
        run.Stderr.Should().BeEmpty();
    }

    [Theory]
    [InlineData("-version=false")]
    [InlineData("-version=0")]
    [InlineData("-version=f")]
    [InlineData("-version=F")]
    [InlineData("-version=FALSE")]
    [InlineData("-version=False")]
    public void VersionFalse_Continues(string flag)
    {
        var run = CliRun.Of(flag);
        run.ExitCode.Should().BeNull();
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    public void TheLastVersionValue_Wins() =>
        CliRun.Of("-version", "-version=false").ExitCode.Should().BeNull();

    [Fact]
    public void Version_WinsOverOtherFlagsGiven() =>
        CliRun.Of("--config=/nonexistent", "--version").ExitCode.Should().Be(0);

    [Theory]
    [InlineData("-h")]
    [InlineData("-help")]
    [InlineData("--help")]
    [InlineData("--h")]
    public void Help_PrintsUsageToStderrAndExits0(string flag)
    {
        var run = CliRun.Of(flag);
        run.ExitCode.Should().Be(0);
        run.Stdout.Should().BeEmpty();
        run.Stderr.Should().Be(CliRun.ExpectedUsage);
    }

    [Fact]
    public void Help_StopsBeforeLaterErrors() =>
        CliRun.Of("-h", "--bogus").ExitCode.Should().Be(0);
}
