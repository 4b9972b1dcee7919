using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NsqLookup.Security;

/// <summary>
/// The HTTPS listener's certificate, from <c>--tls-cert</c> and <c>--tls-key</c> (PEM). A TLS handshake asks for
/// <see cref="Current"/>; at most once a second that also compares both files' size and modification time with
/// what was loaded and, when either changed, loads the pair again and swaps it in, so a renewal (cert-manager,
/// certbot) reaches every new handshake without a restart while established connections keep theirs. A pair that
/// fails to load later (caught mid-write, or a key that does not match) keeps the previous certificate and logs a
/// warning; at startup it is a configuration error naming the file.
/// </summary>
internal sealed partial class CertificateReloader
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _certPath;
    private readonly string _keyPath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _refresh = new();
    private volatile X509Certificate2 _current;
    private (FileStamp Cert, FileStamp Key) _stamps;
    private long _lastCheck;

    private CertificateReloader(string certPath, string keyPath, TimeProvider time, ILogger logger, X509Certificate2 certificate, (FileStamp, FileStamp) stamps)
    {
        _certPath = certPath;
        _keyPath = keyPath;
        _time = time;
        _logger = logger;
        _current = certificate;
        _stamps = stamps;
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>Loads the pair; throws <see cref="InvalidOperationException"/> whose message names the file at fault.</summary>
    public static CertificateReloader Load(string certPath, string keyPath, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        var stamps = (FileStamp.Of(certPath), FileStamp.Of(keyPath));
        if (!TryLoad(certPath, keyPath, out var certificate, out var error))
        {
            throw new InvalidOperationException(error);
        }

        return new CertificateReloader(certPath, keyPath, time, logger, certificate, stamps);
    }

    /// <summary>Loads the pair once to see that it can be; throws like <see cref="Load"/>.</summary>
    public static void Check(string certPath, string keyPath)
    {
        if (!TryLoad(certPath, keyPath, out var certificate, out var error))
        {
            throw new InvalidOperationException(error);
        }

        certificate.Dispose();
    }

    public X509Certificate2 Current
    {
        get
        {
            var now = _time.GetTimestamp();
            if (_time.GetElapsedTime(Volatile.Read(ref _lastCheck), now) >= CheckInterval)
            {
                Refresh(now);
            }

            return _current;
        }
    }

    private void Refresh(long now)
    {
        lock (_refresh)
        {
            if (_time.GetElapsedTime(_lastCheck, now) < CheckInterval)
            {
                return;
            }

            Volatile.Write(ref _lastCheck, now);
            var stamps = (FileStamp.Of(_certPath), FileStamp.Of(_keyPath));
            if (stamps == _stamps)
            {
                return;
            }

            if (TryLoad(_certPath, _keyPath, out var certificate, out var error))
            {
                // The old certificate is not disposed: a handshake that picked it up a moment ago may still use it.
                _current = certificate;
                _stamps = stamps;
                Log.Reloaded(_logger, _certPath, certificate.Subject, certificate.NotAfter.ToUniversalTime().ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                Log.ReloadFailed(_logger, error);
            }
        }
    }

    private static bool TryLoad(string certPath, string keyPath, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out X509Certificate2? certificate, out string error)
    {
        certificate = null;
        if (!TryReadPem(certPath, "tls-cert", out var certPem, out error) || !TryReadPem(keyPath, "tls-key", out var keyPem, out error))
        {
            return false;
        }

        try
        {
            // The certificate alone first, so that an error can say which of the two files is at fault.
            using var probe = X509Certificate2.CreateFromPem(certPem);
        }
        catch (CryptographicException ex)
        {
            error = $"tls-cert {certPath}: no usable PEM certificate - {ex.Message}";
            return false;
        }

        try
        {
            certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            error = $"tls-key {keyPath}: no usable PEM private key for {certPath} - {ex.Message}";
            return false;
        }

        error = "";
        return true;
    }

    internal static bool TryReadPem(string path, string flag, out string pem, out string error)
    {
        pem = "";
        try
        {
            pem = File.ReadAllText(path);
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var why = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
                UnauthorizedAccessException => "permission denied",
                _ => ex.Message,
            };
            error = $"{flag} {path}: {why}";
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "HTTPS: certificate re-read from {Path} (subject {Subject}, expires {NotAfter})")]
        public static partial void Reloaded(ILogger logger, string path, string subject, string notAfter);

        [LoggerMessage(LogLevel.Warning, "HTTPS: keeping the previous certificate - {Error}")]
        public static partial void ReloadFailed(ILogger logger, string error);
    }
}
