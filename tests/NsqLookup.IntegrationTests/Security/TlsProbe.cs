using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Security;

/// <summary>HTTPS clients for the tests: an HttpClient trusting only the test CA, and one raw TLS handshake that
/// reports the certificate the server presented.</summary>
internal static class TlsProbe
{
    public static HttpClient Client(X509Certificate2 ca, int port, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && ChainsTo(AsV2(cert), ca),
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TestDaemon.Timeout };
    }

    /// <summary>A fresh TCP connection and TLS handshake; the certificate the server presented.</summary>
    public static async Task<X509Certificate2> HandshakeAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestDaemon.Timeout);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",

            // A resumed session would skip the certificate and report the one of the session it resumed.
            AllowTlsResume = false,
        }).WaitAsync(TestDaemon.Timeout);
        return AsV2(tls.RemoteCertificate!);
    }

    /// <summary>A fresh handshake by a client that trusts <paramref name="root"/> alone (and not the system's roots):
    /// what it found wrong, and the subjects of the chain it built from what the server sent.</summary>
    public static async Task<(SslPolicyErrors Errors, string[] Chain)> HandshakeTrustingAsync(int port, X509Certificate2 root)
    {
        var errors = SslPolicyErrors.None;
        string[] subjects = [];
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestDaemon.Timeout);
        await using var tls = new SslStream(tcp.GetStream(), false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            AllowTlsResume = false,
            CertificateChainPolicy = policy,
            RemoteCertificateValidationCallback = (_, _, chain, found) =>
            {
                errors = found;
                subjects = chain is null ? [] : [.. chain.ChainElements.Select(e => e.Certificate.Subject)];
                return true;
            },
        }).WaitAsync(TestDaemon.Timeout);
        return (errors, subjects);
    }

    public static X509Certificate2 AsV2(X509Certificate cert) =>
        cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData());

    public static bool ChainsTo(X509Certificate2 cert, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }
}
