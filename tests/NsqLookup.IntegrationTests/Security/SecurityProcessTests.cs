using System.Text.RegularExpressions;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Security;

/// <summary>The built binary with the trust-boundary flags: curl over HTTPS, and the FATAL lines of bad setups.</summary>
public sealed partial class SecurityProcessTests(ITestOutputHelper output) : IDisposable
{
    private const string Loopback = "127.0.0.1:0";

    private readonly TestPki _pki = new();

    [Fact]
    public async Task CurlWithTheCa_ReadsLookupOverHttpsFromTheBinary()
    {
        await using var daemon = DaemonProcess.Start(
            $"--tcp-address={Loopback}", $"--http-address={Loopback}", $"--https-address={Loopback}",
            $"--tls-cert={_pki.CertPath}", $"--tls-key={_pki.KeyPath}");
        var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
        (await daemon.WaitForAsync(d => HttpsListening().IsMatch(d.StdErr), TimeSpan.FromSeconds(30))).Should().BeTrue(daemon.StdErr);
        var httpsPort = HttpsListening().Match(daemon.StdErr).Groups["port"].Value;

        var secure = await ProcessRunner.RunAsync(
            "curl", ["-sS", "--cacert", _pki.CaPath, "--max-time", "10", $"https://127.0.0.1:{httpsPort}/lookup?topic=none"], null, TimeSpan.FromSeconds(30));
        var plain = await ProcessRunner.RunAsync(
            "curl", ["-sS", "--max-time", "10", $"http://127.0.0.1:{http.Port}/lookup?topic=none"], null, TimeSpan.FromSeconds(30));
        output.WriteLine(secure.StdErr);
        secure.ExitCode.Should().Be(0, secure.StdErr);
        secure.StdOut.Should().Be("""{"message":"TOPIC_NOT_FOUND"}""").And.Be(plain.StdOut);

        // Without the CA curl refuses the self-issued certificate: the daemon really serves TLS.
        var untrusted = await ProcessRunner.RunAsync(
            "curl", ["-sS", "--max-time", "10", $"https://127.0.0.1:{httpsPort}/ping"], null, TimeSpan.FromSeconds(30));
        untrusted.ExitCode.Should().NotBe(0);
        daemon.Process.HasExited.Should().BeFalse();
    }

    [Fact]
    public async Task CurlTrustingOnlyTheRoot_ReadsOverHttpsWhenTlsCertHoldsTheChain()
    {
        using var root = TestPki.CreateCa("CN=nsqlookupd test root");
        using var intermediate = TestPki.CreateIntermediate(root, "CN=nsqlookupd test intermediate");
        var (leaf, leafPem, keyPem) = TestPki.NewServer("CN=lookupd-chained", intermediate);
        _pki.Install((leaf, leafPem + "\n" + intermediate.ExportCertificatePem(), keyPem));
        var rootPath = _pki.Write("root.pem", root.ExportCertificatePem());
        await using var daemon = DaemonProcess.Start(
            $"--tcp-address={Loopback}", $"--http-address={Loopback}", $"--https-address={Loopback}",
            $"--tls-cert={_pki.CertPath}", $"--tls-key={_pki.KeyPath}");
        await DaemonProcess.WaitListeningAsync(daemon);
        (await daemon.WaitForAsync(d => HttpsListening().IsMatch(d.StdErr), TimeSpan.FromSeconds(30))).Should().BeTrue(daemon.StdErr);
        var httpsPort = HttpsListening().Match(daemon.StdErr).Groups["port"].Value;

        var secure = await ProcessRunner.RunAsync(
            "curl", ["-sS", "--cacert", rootPath, "--max-time", "10", $"https://127.0.0.1:{httpsPort}/ping"], null, TimeSpan.FromSeconds(30));

        secure.ExitCode.Should().Be(0, secure.StdErr);
        secure.StdOut.Should().Be("OK");
    }

    [Fact]
    public async Task ASecretVolumeSwap_RotatesTheTokenAndTheCertificateOfTheBinary()
    {
        var first = TestPki.NewServer("CN=lookupd-gen1", _pki.Ca);
        using var volume = new SecretVolume(new Dictionary<string, string>
        {
            ["token"] = "first-token\n",
            ["tls.crt"] = first.CertPem,
            ["tls.key"] = first.KeyPem,
        });
        await using var daemon = DaemonProcess.Start(
            $"--tcp-address={Loopback}", $"--http-address={Loopback}", $"--https-address={Loopback}",
            $"--http-admin-token-file={volume.PathOf("token")}", $"--tls-cert={volume.PathOf("tls.crt")}", $"--tls-key={volume.PathOf("tls.key")}");
        var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
        (await daemon.WaitForAsync(d => HttpsListening().IsMatch(d.StdErr), TimeSpan.FromSeconds(30))).Should().BeTrue(daemon.StdErr);
        var httpsPort = int.Parse(HttpsListening().Match(daemon.StdErr).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        (await AdminStatusAsync(http.Port, "first-token")).Should().Be("200");
        (await TlsProbe.HandshakeAsync(httpsPort)).SerialNumber.Should().Be(first.Cert.SerialNumber);

        var second = TestPki.NewServer("CN=lookupd-gen2", _pki.Ca);
        volume.Update(new Dictionary<string, string>
        {
            ["token"] = "second-token\n",
            ["tls.crt"] = second.CertPem,
            ["tls.key"] = second.KeyPem,
        });

        await Eventually.TrueAsync(async () => await AdminStatusAsync(http.Port, "second-token") == "200");
        (await AdminStatusAsync(http.Port, "first-token")).Should().Be("403");
        await Eventually.TrueAsync(async () => (await TlsProbe.HandshakeAsync(httpsPort)).SerialNumber == second.Cert.SerialNumber);
        (await daemon.WaitForAsync(
            d => d.StdErr.Contains($"INFO: HTTP: admin token re-read from {volume.PathOf("token")} (reading {Path.Combine(volume.Current, "token")})", StringComparison.Ordinal)
                && d.StdErr.Contains($"INFO: HTTPS: certificate re-read from {volume.PathOf("tls.crt")} (reading {Path.Combine(volume.Current, "tls.crt")}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10))).Should().BeTrue(daemon.StdErr);
    }

    [Theory]
    [InlineData("cert")]
    [InlineData("key")]
    public async Task AMissingCertificateOrKey_FailsStartupNamingTheFile(string which)
    {
        var missing = Path.Combine(_pki.Directory, "missing.pem");
        var cert = which == "cert" ? missing : _pki.CertPath;
        var key = which == "key" ? missing : _pki.KeyPath;
        var result = await DaemonProcess.RunAsync(
            $"--tcp-address={Loopback}", $"--http-address={Loopback}", $"--https-address={Loopback}", $"--tls-cert={cert}", $"--tls-key={key}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().MatchRegex($@"\[nsqlookupd\] \d{{4}}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{{6}} FATAL: failed to instantiate nsqlookupd - tls-{which} {Regex.Escape(missing)}: no such file or directory\n");
    }

    [Fact]
    public async Task AKeyThatIsNotAKey_FailsStartupNamingIt()
    {
        var notAKey = _pki.Write("garbage.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        var result = await DaemonProcess.RunAsync(
            $"--tcp-address={Loopback}", $"--http-address={Loopback}", $"--https-address={Loopback}", $"--tls-cert={_pki.CertPath}", $"--tls-key={notAKey}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().Contain($"FATAL: failed to instantiate nsqlookupd - tls-key {notAKey}: no usable PEM private key");
    }

    [Fact]
    public async Task ABusyHttpsPort_FailsStartupNamingTheHttpsAddress()
    {
        using var busy = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        busy.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        busy.Listen();
        var address = $"127.0.0.1:{((System.Net.IPEndPoint)busy.LocalEndPoint!).Port}";
        var result = await DaemonProcess.RunAsync(
            $"--tcp-address={Loopback}", $"--http-address={Loopback}", $"--https-address={address}",
            $"--tls-cert={_pki.CertPath}", $"--tls-key={_pki.KeyPath}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().Contain($"FATAL: failed to instantiate nsqlookupd - listen ({address}) failed - listen tcp {address}: bind: address already in use");
    }

    [Fact]
    public async Task AMissingClientCa_FailsStartupNamingIt()
    {
        var missing = Path.Combine(_pki.Directory, "no-ca.pem");
        var result = await DaemonProcess.RunAsync(
            $"--tcp-address={Loopback}", $"--http-address={Loopback}", $"--https-address={Loopback}",
            $"--tls-cert={_pki.CertPath}", $"--tls-key={_pki.KeyPath}", $"--tls-client-ca={missing}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().Contain($"FATAL: failed to instantiate nsqlookupd - tls-client-ca {missing}: no such file or directory\n");
    }

    [Theory]
    [InlineData("--https-address=127.0.0.1:0", "--https-address needs --tls-cert and --tls-key")]
    [InlineData("--tls-cert=/x.pem", "--tls-cert is set but --https-address is not")]
    [InlineData("--http-address=", "--http-address is empty and --https-address is not set: no HTTP listener")]
    [InlineData("--http-admin-token-file=/nonexistent/token", "http-admin-token-file /nonexistent/token: no such file or directory")]
    public async Task AnIncompleteSetup_FailsStartup(string flag, string expected)
    {
        var result = await DaemonProcess.RunAsync($"--tcp-address={Loopback}", $"--http-address={Loopback}", flag);
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().Contain("FATAL: failed to instantiate nsqlookupd - " + expected + "\n");
    }

    [Theory]
    [InlineData("token\nsecond line\n", "the token spans more than one line, and an Authorization header carries one line (put only the token in the file)")]
    [InlineData(" \n", "the file holds only whitespace")]
    public async Task ATokenFileNoHeaderCanMatch_FailsStartupSayingWhy(string content, string why)
    {
        var token = _pki.Write("token", content);
        var result = await DaemonProcess.RunAsync($"--tcp-address={Loopback}", $"--http-address={Loopback}", $"--http-admin-token-file={token}");
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().Contain($"FATAL: failed to instantiate nsqlookupd - http-admin-token-file {token}: {why}\n");
    }

    public void Dispose() => _pki.Dispose();

    /// <summary>curl's status code for <c>GET /debug</c> (an admin route) with <paramref name="token"/>.</summary>
    private static async Task<string> AdminStatusAsync(int port, string token)
    {
        var result = await ProcessRunner.RunAsync(
            "curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "-H", $"Authorization: Bearer {token}", $"http://127.0.0.1:{port}/debug"],
            null, TimeSpan.FromSeconds(30));
        result.ExitCode.Should().Be(0, result.StdErr);
        return result.StdOut;
    }

    [GeneratedRegex(@"HTTPS: listening on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex HttpsListening();
}
