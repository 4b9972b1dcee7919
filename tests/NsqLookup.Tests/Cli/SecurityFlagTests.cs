using NsqLookup.Cli;

namespace NsqLookup.Tests.Cli;

/// <summary>The trust-boundary flags and config keys: repeatable lists, Go flag errors (exit 2), config errors (exit 1).</summary>
public sealed class SecurityFlagTests
{
    [Fact]
    public void Everything_IsOffByDefault()
    {
        var o = CliRun.Of().Result.Options;
        o.TcpAllow.Should().BeEmpty();
        o.HttpAdminAllow.Should().BeEmpty();
        o.HttpAdminTokenFile.Should().BeEmpty();
        o.HttpsAddress.Should().BeEmpty();
        o.TlsCert.Should().BeEmpty();
        o.TlsKey.Should().BeEmpty();
        o.TlsClientCa.Should().BeEmpty();
    }

    [Fact]
    public void ListFlagsRepeatAndTheOthers_TakeOneValue()
    {
        var run = CliRun.Of(
            "--tcp-allow=10.0.0.0/8,10.1.0.0/16", "-tcp-allow", "::1", "--http-admin-allow=10.0.5.7",
            "--http-admin-token-file=/etc/nsq/token", "--https-address=0.0.0.0:4162", "--tls-cert=c.pem", "--tls-key=k.pem",
            "--tls-client-ca=ca.pem");
        run.ExitCode.Should().BeNull(run.Stderr);
        var o = run.Result.Options;
        o.TcpAllow.Should().Equal("10.0.0.0/8,10.1.0.0/16", "::1");
        o.HttpAdminAllow.Should().Equal("10.0.5.7");
        o.HttpAdminTokenFile.Should().Be("/etc/nsq/token");
        o.HttpsAddress.Should().Be("0.0.0.0:4162");
        (o.TlsCert, o.TlsKey, o.TlsClientCa).Should().Be(("c.pem", "k.pem", "ca.pem"));
    }

    [Theory]
    [InlineData("tcp-allow")]
    [InlineData("http-admin-allow")]
    public void ABadCidr_IsAFlagError(string flag)
    {
        var run = CliRun.Of($"--{flag}=10.0.0.0/33");
        run.ExitCode.Should().Be(2);
        run.Stderr.Should().StartWith($"invalid value \"10.0.0.0/33\" for flag -{flag}: \"10.0.0.0/33\" has an invalid prefix length (0 to 32 for IPv4)\nUsage of nsqlookupd:\n");
    }

    [Fact]
    public void ConfigKeys_AreReadAndFlagsWin()
    {
        using var file = new TempConfig("""
            tcp_allow = ["10.0.0.0/8", "fd00::/8"]
            http_admin_allow = "10.0.5.7/32,10.0.5.8"
            http_admin_token_file = "/run/secrets/token"
            https_address = "127.0.0.1:4162"
            tls_cert = "/etc/tls/tls.crt"
            tls_key = "/etc/tls/tls.key"
            tls_client_ca = "/etc/tls/ca.crt"
            """);
        var run = CliRun.Of($"--config={file.Path}", "--tls-key=/other.key");
        using var stderr = new StringWriter();
        ConfigFile.TryResolve(run.Result, stderr, out var o).Should().BeNull(stderr.ToString());
        o.TcpAllow.Should().Equal("10.0.0.0/8", "fd00::/8");
        o.HttpAdminAllow.Should().Equal("10.0.5.7/32,10.0.5.8");
        o.HttpAdminTokenFile.Should().Be("/run/secrets/token");
        o.HttpsAddress.Should().Be("127.0.0.1:4162");
        (o.TlsCert, o.TlsKey, o.TlsClientCa).Should().Be(("/etc/tls/tls.crt", "/other.key", "/etc/tls/ca.crt"));
    }

    [Theory]
    [InlineData("tcp_allow = [\"10.0.0.0/8\", \"bogus\"]", "failed parsing tcp_allow [10.0.0.0/8 bogus] - \"bogus\" is not an IP address or CIDR block")]
    [InlineData("tcp_allow = [1, 2]", "failed parsing tcp_allow [1 2] - expected an array of CIDR strings")]
    [InlineData("http_admin_allow = 7", "failed parsing http_admin_allow 7 - expected an array of CIDR strings")]
    [InlineData("tls_cert = 7", "failed parsing tls_cert 7 - expected a string")]
    public void ABadConfigValue_IsFatal(string toml, string expected)
    {
        using var file = new TempConfig(toml);
        var run = CliRun.Of($"--config={file.Path}");
        using var stderr = new StringWriter();
        ConfigFile.TryResolve(run.Result, stderr, out _).Should().Be(1);
        stderr.ToString().Should().Contain("FATAL: " + expected);
    }
}
