using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NsqLookup.IntegrationTests.Security;

/// <summary>A throwaway PKI under a temp directory: a CA, server certificates for 127.0.0.1 it issues (written as the
/// PEM files the daemon reads), and client certificates. Deleted on dispose.</summary>
internal sealed class TestPki : IDisposable
{
    public TestPki()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nsqlookupd-pki-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Ca = CreateCa("CN=nsqlookupd test CA");
        CaPath = Write("ca.pem", Ca.ExportCertificatePem());
        CertPath = System.IO.Path.Combine(Directory, "cert.pem");
        KeyPath = System.IO.Path.Combine(Directory, "key.pem");
        Server = IssueServer("CN=lookupd-1");
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public string CaPath { get; }

    public string CertPath { get; }

    public string KeyPath { get; }

    /// <summary>The certificate now in <see cref="CertPath"/>/<see cref="KeyPath"/>.</summary>
    public X509Certificate2 Server { get; private set; }

    public static X509Certificate2 CreateCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>Issues a server certificate for 127.0.0.1/::1/localhost and writes it and its key in place (a rename
    /// each, as renewal tools do).</summary>
    public X509Certificate2 IssueServer(string subject) => Install(NewServer(subject, Ca));

    /// <summary>Writes a certificate (PEM, with whatever follows it in the file) and its key in place, a rename each.</summary>
    public X509Certificate2 Install((X509Certificate2 Cert, string CertPem, string KeyPem) issued)
    {
        var (cert, certPem, keyPem) = issued;
        var tmpCert = Write($"cert-{Guid.NewGuid():N}.tmp", certPem);
        var tmpKey = Write($"key-{Guid.NewGuid():N}.tmp", keyPem);
        File.Move(tmpKey, KeyPath, overwrite: true);
        File.Move(tmpCert, CertPath, overwrite: true);
        Server = cert;
        return cert;
    }

    /// <summary>A server certificate for 127.0.0.1/::1/localhost that <paramref name="issuer"/> signs, valid from
    /// <paramref name="notBefore"/> (an hour ago) to <paramref name="notAfter"/> (in a week), as the PEM texts of the
    /// certificate and of its key.</summary>
    public static (X509Certificate2 Cert, string CertPem, string KeyPem) NewServer(
        string subject, X509Certificate2 issuer, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var cert = Sign(request, issuer, notBefore, notAfter);
        return (cert, cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>An intermediate CA (with its key) that <paramref name="root"/> signs.</summary>
    public static X509Certificate2 CreateIntermediate(X509Certificate2 root, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = Sign(request, root, DateTimeOffset.UtcNow.AddHours(-12), DateTimeOffset.UtcNow.AddDays(20));
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>A client certificate (with its key) issued by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 IssueClient(X509Certificate2 issuer, string subject = "CN=script")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var cert = Sign(request, issuer);
        return cert.CopyWithPrivateKey(key);
    }

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static X509Certificate2 Sign(CertificateRequest request, X509Certificate2 issuer, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        return request.Create(issuer, notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(7), serial);
    }
}
