using System.Net;
using System.Net.Sockets;
using System.Text;
using NsqLookup.IntegrationTests.Http;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Security;

/// <summary><c>--https-address</c>: the same API over TLS, a certificate re-read when its files change, client
/// certificates with <c>--tls-client-ca</c>, and hostile bytes on either port.</summary>
public sealed class HttpsTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestPki _pki = new();

    [Fact]
    public async Task LookupOverHttps_IsByteForByteThePlainAnswer()
    {
        await using var daemon = await StartAsync();
        HttpKit.Seed(daemon, "p1", HttpKit.Body(), "orders", "orders/billing");
        using var https = TlsProbe.Client(_pki.Ca, daemon.App.HttpsEndPoint!.Port);

        foreach (var target in new[] { "/lookup?topic=orders", "/nodes", "/topics", "/lookup?topic=missing", "/nope" })
        {
            using var plainResponse = await daemon.Http.GetAsync(target);
            using var httpsResponse = await https.GetAsync(target);
            var plain = await Reply.FromAsync(plainResponse);
            var secure = await Reply.FromAsync(httpsResponse);
            secure.Status.Should().Be(plain.Status, target);
            secure.Body.Should().Equal(plain.Body, target);
            secure.Header(HttpKit.NsqHeader).Should().Be(plain.Header(HttpKit.NsqHeader));
            secure.Header("Content-Type").Should().Be(plain.Header("Content-Type"));
        }
    }

    [Fact]
    public async Task AReplacedCertificate_IsPresentedToTheNextHandshake()
    {
        await using var daemon = await StartAsync();
        var port = daemon.App.HttpsEndPoint!.Port;
        (await TlsProbe.HandshakeAsync(port)).Thumbprint.Should().Be(_pki.Server.Thumbprint);

        var renewed = _pki.IssueServer("CN=lookupd-1-renewed");
        await Eventually.TrueAsync(
            async () =>
            {
                var seen = await TlsProbe.HandshakeAsync(port);
                return seen.Thumbprint == renewed.Thumbprint;
            },
            TimeSpan.FromSeconds(10));
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith("INFO: HTTPS: certificate re-read from", StringComparison.Ordinal));

        // A broken rewrite keeps the last good certificate.
        File.WriteAllText(_pki.CertPath, "not a certificate");
        // The files are looked at on a handshake, at most once a second.
        await Eventually.TrueAsync(async () =>
        {
            (await TlsProbe.HandshakeAsync(port)).Thumbprint.Should().Be(renewed.Thumbprint);
            return daemon.Logs.Lines.Any(l => l.StartsWith("WARNING: HTTPS: keeping the previous certificate", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task TheWholeChainInTlsCert_IsSentSoAClientTrustingOnlyTheRootConnects()
    {
        using var root = TestPki.CreateCa("CN=nsqlookupd test root");
        using var intermediate = TestPki.CreateIntermediate(root, "CN=nsqlookupd test intermediate");
        var (leaf, leafPem, keyPem) = TestPki.NewServer("CN=lookupd-chained", intermediate);
        _pki.Install((leaf, leafPem + "\n" + intermediate.ExportCertificatePem(), keyPem));
        await using var daemon = await StartAsync();

        var (errors, chain) = await TlsProbe.HandshakeTrustingAsync(daemon.App.HttpsEndPoint!.Port, root);

        errors.Should().Be(System.Net.Security.SslPolicyErrors.None);
        chain.Should().Equal("CN=lookupd-chained", "CN=nsqlookupd test intermediate", "CN=nsqlookupd test root");
    }

    [Fact]
    public async Task ARenewedChain_IsSentWholeToo()
    {
        await using var daemon = await StartAsync();
        var port = daemon.App.HttpsEndPoint!.Port;
        using var intermediate = TestPki.CreateIntermediate(_pki.Ca, "CN=renewal intermediate");
        var (leaf, leafPem, keyPem) = TestPki.NewServer("CN=lookupd-renewed-chain", intermediate);
        _pki.Install((leaf, leafPem + "\n" + intermediate.ExportCertificatePem(), keyPem));

        await Eventually.TrueAsync(async () => (await TlsProbe.HandshakeAsync(port)).Thumbprint == leaf.Thumbprint);
        var (errors, chain) = await TlsProbe.HandshakeTrustingAsync(port, _pki.Ca);
        errors.Should().Be(System.Net.Security.SslPolicyErrors.None);
        chain.Should().Equal("CN=lookupd-renewed-chain", "CN=renewal intermediate", "CN=nsqlookupd test CA");
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith("INFO: HTTPS: certificate re-read from", StringComparison.Ordinal) && l.EndsWith(", 1 intermediate(s))", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    public async Task ARenewalOutsideItsValidity_IsRefusedAndTheValidCertificateStays(string which)
    {
        await using var daemon = await StartAsync();
        var port = daemon.App.HttpsEndPoint!.Port;
        var valid = _pki.Server;
        var now = DateTimeOffset.UtcNow;
        var (notBefore, notAfter, why) = which == "expired"
            ? (now.AddHours(-20), now.AddHours(-2), "expired at ")
            : (now.AddHours(2), now.AddDays(2), "is not valid before ");
        var bad = _pki.Install(TestPki.NewServer("CN=lookupd-out-of-date", _pki.Ca, notBefore, notAfter));

        var expected = $"WARNING: HTTPS: keeping the previous certificate - tls-cert {_pki.CertPath}: subject CN=lookupd-out-of-date, serial {bad.SerialNumber} {why}";
        await Eventually.TrueAsync(async () =>
        {
            (await TlsProbe.HandshakeAsync(port)).Thumbprint.Should().Be(valid.Thumbprint);
            return daemon.Logs.Lines.Any(l => l.StartsWith(expected, StringComparison.Ordinal));
        });
        daemon.Logs.Lines.Single(l => l.StartsWith(expected, StringComparison.Ordinal))
            .Should().EndWith($"; the one in use (subject CN=lookupd-1, serial {valid.SerialNumber}) is valid");

        // Said once, not on every handshake.
        for (var i = 0; i < 3; i++)
        {
            (await TlsProbe.HandshakeAsync(port)).Thumbprint.Should().Be(valid.Thumbprint);
        }

        daemon.Logs.Lines.Count(l => l.StartsWith(expected, StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public async Task ARenewalThatIsNotValidYet_IsTakenOnceItIs()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var daemon = await TestDaemon.StartAsync(
            output, o => o with { HttpsAddress = "127.0.0.1:0", TlsCert = _pki.CertPath, TlsKey = _pki.KeyPath }, clock);
        var port = daemon.App.HttpsEndPoint!.Port;
        var valid = _pki.Server;
        var early = _pki.Install(TestPki.NewServer("CN=lookupd-early", _pki.Ca, clock.GetUtcNow().AddMinutes(10), clock.GetUtcNow().AddDays(2)));

        clock.Advance(TimeSpan.FromSeconds(2));
        (await TlsProbe.HandshakeAsync(port)).Thumbprint.Should().Be(valid.Thumbprint);
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith("WARNING: HTTPS: keeping the previous certificate - ", StringComparison.Ordinal) && l.Contains("CN=lookupd-early", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromMinutes(11));
        (await TlsProbe.HandshakeAsync(port)).Thumbprint.Should().Be(early.Thumbprint);
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith("INFO: HTTPS: certificate re-read from", StringComparison.Ordinal) && l.Contains("CN=lookupd-early", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARefusedRenewal_IsTakenOnceTheCertificateInUseIsNotValidEither()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var daemon = await TestDaemon.StartAsync(
            output, o => o with { HttpsAddress = "127.0.0.1:0", TlsCert = _pki.CertPath, TlsKey = _pki.KeyPath }, clock);
        var port = daemon.App.HttpsEndPoint!.Port;
        var valid = _pki.Server;
        var stale = _pki.Install(TestPki.NewServer("CN=lookupd-stale", _pki.Ca, clock.GetUtcNow().AddHours(-20), clock.GetUtcNow().AddHours(-2)));

        clock.Advance(TimeSpan.FromSeconds(2));
        (await TlsProbe.HandshakeAsync(port)).Thumbprint.Should().Be(valid.Thumbprint);

        // The certificate in use expires in turn: the file's certificate is the operator's latest word.
        clock.Advance(valid.NotAfter.ToUniversalTime() - clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1));
        (await TlsProbe.HandshakeAsync(port)).Thumbprint.Should().Be(stale.Thumbprint);
        daemon.Logs.Lines.Should().Contain(l =>
            l.StartsWith($"WARNING: HTTPS: certificate {_pki.CertPath} (subject CN=lookupd-stale, serial {stale.SerialNumber}) expired at ", StringComparison.Ordinal)
            && l.EndsWith("; taken all the same, the one it replaces was not valid either", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    public async Task ACertificateOutsideItsValidityAtStartup_IsNamedInAWarningAndServed(string which)
    {
        var now = DateTimeOffset.UtcNow;
        var (notBefore, notAfter, why) = which == "expired"
            ? (now.AddHours(-20), now.AddHours(-2), "expired at ")
            : (now.AddHours(2), now.AddDays(2), "is not valid before ");
        var bad = _pki.Install(TestPki.NewServer("CN=lookupd-out-of-date", _pki.Ca, notBefore, notAfter));

        await using var daemon = await StartAsync();

        (await TlsProbe.HandshakeAsync(daemon.App.HttpsEndPoint!.Port)).Thumbprint.Should().Be(bad.Thumbprint);
        daemon.Logs.Lines.Should().Contain(l =>
            l.StartsWith($"WARNING: HTTPS: certificate {_pki.CertPath} (subject CN=lookupd-out-of-date, serial {bad.SerialNumber}) {why}", StringComparison.Ordinal)
            && l.EndsWith("; clients will refuse it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithAClientCaAClientCertificateItIssued_IsRequired()
    {
        await using var daemon = await StartAsync(o => o with { TlsClientCa = _pki.CaPath });
        var port = daemon.App.HttpsEndPoint!.Port;

        using var anonymous = TlsProbe.Client(_pki.Ca, port);
        await FluentActions.Awaiting(() => anonymous.GetAsync("/ping")).Should().ThrowAsync<HttpRequestException>();

        using var stranger = TestPki.CreateCa("CN=some other CA");
        using var strangerClient = TlsProbe.Client(_pki.Ca, port, TestPki.IssueClient(stranger));
        await FluentActions.Awaiting(() => strangerClient.GetAsync("/ping")).Should().ThrowAsync<HttpRequestException>();

        using var trusted = TlsProbe.Client(_pki.Ca, port, TestPki.IssueClient(_pki.Ca));
        (await trusted.GetStringAsync("/ping")).Should().Be("OK");

        // The plain listener is not affected.
        (await daemon.Http.GetStringAsync("/ping")).Should().Be("OK");
    }

    [Fact]
    public async Task AnEmptyHttpAddress_LeavesOnlyHttps()
    {
        await using var daemon = await StartAsync(o => o with { HttpAddress = "" });
        daemon.App.HttpEndPoint.Port.Should().Be(0);
        using var https = TlsProbe.Client(_pki.Ca, daemon.App.HttpsEndPoint!.Port);
        (await https.GetStringAsync("/ping")).Should().Be("OK");
        daemon.App.Identity.HttpPort.Should().Be(daemon.App.HttpsEndPoint.Port);
        daemon.Logs.Lines.Should().NotContain(l => l.StartsWith("INFO: HTTP: listening", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GarbagePlainHttpAndAClientHelloOnTheWrongPorts_LeaveBothListenersServing()
    {
        await using var daemon = await StartAsync();
        var httpsPort = daemon.App.HttpsEndPoint!.Port;

        // Garbage where a ClientHello should be.
        await SendAndCloseAsync(httpsPort, Encoding.ASCII.GetBytes(new string('\x16', 5) + "garbage garbage garbage\r\n\r\n"));
        await SendAndCloseAsync(httpsPort, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);

        // Plain HTTP on the HTTPS port.
        await SendAndCloseAsync(httpsPort, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        // A TLS ClientHello on the plain port.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, daemon.HttpPort).WaitAsync(TestDaemon.Timeout);
            await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await FluentActions.Awaiting(() => tls.AuthenticateAsClientAsync("127.0.0.1").WaitAsync(TestDaemon.Timeout))
                .Should().ThrowAsync<Exception>();
        }

        using var https = TlsProbe.Client(_pki.Ca, httpsPort);
        (await https.GetStringAsync("/ping")).Should().Be("OK");
        (await daemon.Http.GetStringAsync("/ping")).Should().Be("OK");
    }

    [Fact]
    public async Task ARequestWithoutHostOverHttps_GetsGosPlainTextAnswer()
    {
        await using var daemon = await StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, daemon.App.HttpsEndPoint!.Port).WaitAsync(TestDaemon.Timeout);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("127.0.0.1").WaitAsync(TestDaemon.Timeout);

        await tls.WriteAsync("GET /ping HTTP/1.1\r\n\r\n"u8.ToArray()).AsTask().WaitAsync(TestDaemon.Timeout);
        using var answer = new MemoryStream();
        await tls.CopyToAsync(answer).WaitAsync(TestDaemon.Timeout);

        Encoding.ASCII.GetString(answer.ToArray()).Should().Be(
            "HTTP/1.1 400 Bad Request: missing required Host header\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Connection: close\r\n\r\n400 Bad Request: missing required Host header");
    }

    public void Dispose() => _pki.Dispose();

    private static async Task SendAndCloseAsync(int port, byte[] bytes)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TestDaemon.Timeout);
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None).WaitAsync(TestDaemon.Timeout);
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // a reset is a fine answer to garbage
        }
    }

    private Task<TestDaemon> StartAsync(Func<NsqLookupOptions, NsqLookupOptions>? more = null) =>
        TestDaemon.StartAsync(output, o =>
        {
            o = o with { HttpsAddress = "127.0.0.1:0", TlsCert = _pki.CertPath, TlsKey = _pki.KeyPath };
            return more?.Invoke(o) ?? o;
        });
}
