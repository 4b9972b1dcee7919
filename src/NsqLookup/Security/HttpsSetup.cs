using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using NsqLookup.Http;

namespace NsqLookup.Security;

/// <summary>
/// <c>--https-address</c>: a second Kestrel listener serving exactly the same app over TLS 1.2 or 1.3. The certificate
/// comes from a <see cref="CertificateReloader"/> on every handshake; with <c>--tls-client-ca</c> a client must
/// present a certificate that chains to one of that file's certificates (and only those: the system's roots are
/// not consulted), valid for client authentication.
/// </summary>
internal static class HttpsSetup
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>The same app, the same routes and bytes as the plain listener, over TLS.</summary>
    public static void ListenHttps(this KestrelServerOptions kestrel, System.Net.IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var services = kestrel.ApplicationServices;
        kestrel.Listen(endPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseReloadingHttps(services.GetRequiredService<CertificateReloader>(), services.GetRequiredService<HttpsClientCa>().Roots);

            // After TLS, so that it sees the decrypted requests: the same Go answers to malformed ones.
            GoBadRequestConnection.Install(listen);
        });
    }

    private static void UseReloadingHttps(this ListenOptions listen, CertificateReloader certificates, X509Certificate2Collection? clientCa)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(certificates);
        RemoteCertificateValidationCallback? validate = clientCa is null
            ? null
            : (_, certificate, _, _) => certificate is not null && IsTrustedClient(
                certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), clientCa);

        // Per handshake: the reloader's current leaf with its intermediates (a certificate selector would send the
        // leaf alone, and clients that trust only the root could not build the chain).
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificates.Context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                ClientCertificateRequired = clientCa is not null,
                RemoteCertificateValidationCallback = validate,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }),
        });
    }

    /// <summary>Reads <c>--tls-client-ca</c> (one or more PEM certificates); throws naming the file when unusable.</summary>
    public static X509Certificate2Collection LoadClientCa(string path)
    {
        if (!CertificateReloader.TryReadPem(path, "tls-client-ca", out var pem, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"tls-client-ca {path}: {ex.Message}", ex);
        }

        return collection.Count > 0
            ? collection
            : throw new InvalidOperationException($"tls-client-ca {path}: no PEM certificate in the file");
    }

    private static bool IsTrustedClient(X509Certificate2 certificate, X509Certificate2Collection clientCa)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(clientCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));
        return chain.Build(certificate);
    }
}
