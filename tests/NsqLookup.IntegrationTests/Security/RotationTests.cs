using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Security;

/// <summary>
/// The admin token and the TLS pair are watched by what they hold and where they lead (issue 34 items 1 and 2): a
/// Kubernetes Secret volume's <c>..data</c> swap, and a rewrite that keeps size and modification time, both reach
/// the next request or handshake without a restart, with one log line naming where the file now leads.
/// </summary>
public sealed class RotationTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestPki _pki = new();

    [Fact]
    public async Task ATokenRotatedByASecretVolumeSwap_IsTakenAndTheOldOneRefused()
    {
        using var volume = new SecretVolume(new Dictionary<string, string> { ["token"] = "first-token-value\n" });
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpAdminTokenFile = volume.PathOf("token") });
        (await StatusAsync(daemon, "first-token-value")).Should().Be(200);

        volume.Update(new Dictionary<string, string> { ["token"] = "second-token\n" });

        await Eventually.TrueAsync(async () => await StatusAsync(daemon, "second-token") == 200);
        (await StatusAsync(daemon, "first-token-value")).Should().Be(403);
        daemon.Logs.Lines.Should().Contain($"INFO: HTTP: admin token re-read from {volume.PathOf("token")} (reading {Path.Combine(volume.Current, "token")})");
    }

    [Fact]
    public async Task ATokenRewrittenWithTheSameLengthAndModificationTime_IsTaken()
    {
        var path = _pki.Write("token", "token-AAAA\n");
        var modified = File.GetLastWriteTimeUtc(path);
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpAdminTokenFile = path });
        (await StatusAsync(daemon, "token-AAAA")).Should().Be(200);

        // As cp -p, rsync -t or tar x leave it: same size, same mtime, other bytes.
        File.WriteAllText(path, "token-BBBB\n");
        File.SetLastWriteTimeUtc(path, modified);
        new FileInfo(path).Length.Should().Be(11);

        await Eventually.TrueAsync(async () => await StatusAsync(daemon, "token-BBBB") == 200);
        (await StatusAsync(daemon, "token-AAAA")).Should().Be(403);
    }

    [Fact]
    public async Task ACertificateRenewedByASecretVolumeSwap_ReachesTheNextHandshake()
    {
        var (first, firstCert, firstKey) = TestPki.NewServer("CN=lookupd-gen1", _pki.Ca);
        using var volume = new SecretVolume(new Dictionary<string, string> { ["tls.crt"] = firstCert, ["tls.key"] = firstKey });
        await using var daemon = await StartHttpsAsync(volume.PathOf("tls.crt"), volume.PathOf("tls.key"));
        var port = daemon.App.HttpsEndPoint!.Port;
        (await TlsProbe.HandshakeAsync(port)).SerialNumber.Should().Be(first.SerialNumber);

        var (second, secondCert, secondKey) = TestPki.NewServer("CN=lookupd-gen2", _pki.Ca);
        volume.Update(new Dictionary<string, string> { ["tls.crt"] = secondCert, ["tls.key"] = secondKey });

        await Eventually.TrueAsync(async () => (await TlsProbe.HandshakeAsync(port)).SerialNumber == second.SerialNumber);
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith(
            $"INFO: HTTPS: certificate re-read from {volume.PathOf("tls.crt")} (reading {Path.Combine(volume.Current, "tls.crt")}; subject CN=lookupd-gen2, serial {second.SerialNumber}, expires ",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACertificatePairRewrittenWithTheSameLengthsAndModificationTimes_IsTaken()
    {
        // PEM allows text after the block: padding gives every generation the same file sizes.
        static string Pad(string pem, int length) => pem + new string('\n', length - pem.Length);
        var (first, firstCert, firstKey) = TestPki.NewServer("CN=lookupd-same-a", _pki.Ca);
        var certPath = _pki.Write("same.crt", Pad(firstCert, 2048));
        var keyPath = _pki.Write("same.key", Pad(firstKey, 1024));
        var (certTime, keyTime) = (File.GetLastWriteTimeUtc(certPath), File.GetLastWriteTimeUtc(keyPath));
        await using var daemon = await StartHttpsAsync(certPath, keyPath);
        var port = daemon.App.HttpsEndPoint!.Port;
        (await TlsProbe.HandshakeAsync(port)).SerialNumber.Should().Be(first.SerialNumber);

        var (second, secondCert, secondKey) = TestPki.NewServer("CN=lookupd-same-b", _pki.Ca);
        File.WriteAllText(keyPath, Pad(secondKey, 1024));
        File.WriteAllText(certPath, Pad(secondCert, 2048));
        File.SetLastWriteTimeUtc(certPath, certTime);
        File.SetLastWriteTimeUtc(keyPath, keyTime);
        (new FileInfo(certPath).Length, new FileInfo(keyPath).Length).Should().Be((2048L, 1024L));

        await Eventually.TrueAsync(async () => (await TlsProbe.HandshakeAsync(port)).SerialNumber == second.SerialNumber);
    }

    public void Dispose() => _pki.Dispose();

    private Task<TestDaemon> StartHttpsAsync(string certPath, string keyPath) =>
        TestDaemon.StartAsync(output, o => o with { HttpsAddress = "127.0.0.1:0", TlsCert = certPath, TlsKey = keyPath });

    /// <summary>The status of an admin request (<c>GET /debug</c>) carrying <paramref name="token"/>.</summary>
    internal static async Task<int> StatusAsync(TestDaemon daemon, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/debug");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await daemon.Http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
