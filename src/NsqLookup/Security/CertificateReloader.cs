using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NsqLookup.Security;

/// <summary>
/// The HTTPS listener's certificate, from <c>--tls-cert</c> (PEM: the leaf first, then any intermediates, as in a
/// <c>fullchain.pem</c> or a cert-manager <c>tls.crt</c>) and <c>--tls-key</c>. Every handshake presents the leaf and
/// the intermediates (<see cref="Context"/>), so a client that trusts only the root can build the chain.
/// <para>
/// A handshake also looks at both files, no more than once a second: they are read through every symbolic link and
/// their bytes compared with those last taken (<see cref="WatchedFile"/>), and when either differs the pair is loaded
/// again and swapped in, so a renewal (cert-manager through a Secret volume's <c>..data</c> swap, certbot, a copy
/// that keeps size and modification time) reaches every new handshake without a restart while established
/// connections keep theirs. A pair that fails to load later (caught mid-write, a key that does not match) keeps the
/// previous certificate and logs a warning; at startup it is a configuration error naming the file. A certificate
/// outside its validity period is named in a warning at startup, and refused on reload while the one in use is
/// valid (a renewal that is not valid yet is taken once it is).
/// </para>
/// </summary>
internal sealed partial class CertificateReloader
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _certPath;
    private readonly string _keyPath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _refresh = new();
    private volatile Loaded _current;
    private Loaded? _waiting;
    private (byte[] Cert, byte[] Key)? _refused;
    private string? _lastError;
    private long _lastCheck;

    private CertificateReloader(string certPath, string keyPath, TimeProvider time, ILogger logger, Loaded loaded)
    {
        _certPath = certPath;
        _keyPath = keyPath;
        _time = time;
        _logger = logger;
        _current = loaded;
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>Loads the pair; throws <see cref="InvalidOperationException"/> whose message names the file at fault.
    /// A certificate outside its validity period is loaded all the same, with a warning naming it.</summary>
    public static CertificateReloader Load(string certPath, string keyPath, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (!TryLoad(certPath, keyPath, out var loaded, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var now = time.GetUtcNow();
        if (OutsideValidity(loaded.Certificate, now) is { } why)
        {
            Log.InvalidAtStartup(logger, certPath, Describe(loaded.Certificate), why);
        }

        return new CertificateReloader(certPath, keyPath, time, logger, loaded);
    }

    /// <summary>Loads the pair once to see that it can be; throws like <see cref="Load"/>.</summary>
    public static void Check(string certPath, string keyPath)
    {
        if (!TryLoad(certPath, keyPath, out var loaded, out var error))
        {
            throw new InvalidOperationException(error);
        }

        loaded.Certificate.Dispose();
    }

    /// <summary>The leaf certificate in use.</summary>
    public X509Certificate2 Current => Refreshed().Certificate;

    /// <summary>The leaf and its intermediates, as a handshake presents them.</summary>
    public SslStreamCertificateContext Context => Refreshed().Context;

    private Loaded Refreshed()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Volatile.Read(ref _lastCheck), now) >= CheckInterval)
        {
            lock (_refresh)
            {
                if (_time.GetElapsedTime(_lastCheck, now) >= CheckInterval)
                {
                    Volatile.Write(ref _lastCheck, now);
                    Refresh();
                }
            }
        }

        return _current;
    }

    private void Refresh()
    {
        if (!WatchedFile.TryRead(_certPath, out var cert, out var error))
        {
            Warn($"tls-cert {_certPath}: {error}");
            return;
        }

        if (!WatchedFile.TryRead(_keyPath, out var key, out error))
        {
            Warn($"tls-key {_keyPath}: {error}");
            return;
        }

        var current = _current;
        if (cert.AsSpan().SequenceEqual(current.CertBytes) && key.AsSpan().SequenceEqual(current.KeyBytes))
        {
            _lastError = null;
            return;
        }

        var now = _time.GetUtcNow();
        if (_refused is { } refused && cert.AsSpan().SequenceEqual(refused.Cert) && key.AsSpan().SequenceEqual(refused.Key))
        {
            // Refused before for its dates: taken once it is valid (a renewal issued a little early), or once the
            // one in use is not valid either.
            if (_waiting is { } waiting)
            {
                TakeUnlessOutdated(waiting, cert, key, current, now);
            }

            return;
        }

        if (!TryParse(_certPath, cert, _keyPath, key, out var loaded, out error))
        {
            Refuse(cert, key, null);
            Warn(error);
            return;
        }

        TakeUnlessOutdated(loaded, cert, key, current, now);
    }

    private void TakeUnlessOutdated(Loaded loaded, byte[] cert, byte[] key, Loaded current, DateTimeOffset now)
    {
        if (OutsideValidity(loaded.Certificate, now) is { } why)
        {
            if (OutsideValidity(current.Certificate, now) is null)
            {
                Refuse(cert, key, loaded);
                Warn($"tls-cert {_certPath}: {Describe(loaded.Certificate)} {why}; the one in use ({Describe(current.Certificate)}) is valid");
                return;
            }

            // Neither is valid: the newer file is the operator's latest word.
            Log.InvalidTaken(_logger, _certPath, Describe(loaded.Certificate), why);
        }

        Accept(loaded);
    }

    private void Accept(Loaded loaded)
    {
        // The old certificate is not disposed: a handshake that picked it up a moment ago may still use it.
        _current = loaded;
        _refused = null;
        _waiting = null;
        _lastError = null;
        Log.Reloaded(
            _logger, _certPath, WatchedFile.Resolve(_certPath), Describe(loaded.Certificate),
            Utc(new DateTimeOffset(loaded.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero)), loaded.Context.IntermediateCertificates.Count);
    }

    private void Refuse(byte[] cert, byte[] key, Loaded? waiting)
    {
        _refused = (cert, key);
        _waiting = waiting;
    }

    private void Warn(string error)
    {
        if (error != _lastError)
        {
            _lastError = error;
            Log.ReloadFailed(_logger, error);
        }
    }

    /// <summary>Why <paramref name="certificate"/> is not valid at <paramref name="now"/>, or null when it is.</summary>
    private static string? OutsideValidity(X509Certificate2 certificate, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return now < notBefore ? $"is not valid before {Utc(notBefore)}"
            : now > notAfter ? $"expired at {Utc(notAfter)}"
            : null;
    }

    private static string Describe(X509Certificate2 certificate) =>
        $"subject {certificate.Subject}, serial {certificate.SerialNumber}";

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);

    private static bool TryLoad(string certPath, string keyPath, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Loaded? loaded, out string error)
    {
        loaded = null;
        if (!WatchedFile.TryRead(certPath, out var cert, out error))
        {
            error = $"tls-cert {certPath}: {error}";
            return false;
        }

        if (!WatchedFile.TryRead(keyPath, out var key, out error))
        {
            error = $"tls-key {keyPath}: {error}";
            return false;
        }

        return TryParse(certPath, cert, keyPath, key, out loaded, out error);
    }

    private static bool TryParse(string certPath, byte[] certBytes, string keyPath, byte[] keyBytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Loaded? loaded, out string error)
    {
        loaded = null;
        var certPem = Encoding.UTF8.GetString(certBytes);
        var keyPem = Encoding.UTF8.GetString(keyBytes);
        var chain = new X509Certificate2Collection();
        try
        {
            // The certificates alone first, so that an error can say which of the two files is at fault.
            chain.ImportFromPem(certPem);
            if (chain.Count == 0)
            {
                error = $"tls-cert {certPath}: no usable PEM certificate - no CERTIFICATE block in the file";
                return false;
            }
        }
        catch (CryptographicException ex)
        {
            error = $"tls-cert {certPath}: no usable PEM certificate - {ex.Message}";
            return false;
        }

        X509Certificate2 leaf;
        try
        {
            // The first certificate in the file is the leaf; its key must be the one in --tls-key.
            leaf = X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            error = $"tls-key {keyPath}: no usable PEM private key for {certPath} - {ex.Message}";
            return false;
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var other in chain)
        {
            if (!other.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
            {
                intermediates.Add(other);
            }
        }

        // Offline: the chain is what the file holds, never fetched from the issuers' URLs.
        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        loaded = new Loaded(leaf, context, certBytes, keyBytes);
        error = "";
        return true;
    }

    internal static bool TryReadPem(string path, string flag, out string pem, out string error)
    {
        pem = "";
        if (!WatchedFile.TryRead(path, out var bytes, out error))
        {
            error = $"{flag} {path}: {error}";
            return false;
        }

        pem = Encoding.UTF8.GetString(bytes);
        return true;
    }

    private sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context, byte[] CertBytes, byte[] KeyBytes);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "HTTPS: certificate re-read from {Path} (reading {Target}; {Certificate}, expires {NotAfter}, {Intermediates} intermediate(s))")]
        public static partial void Reloaded(ILogger logger, string path, string target, string certificate, string notAfter, int intermediates);

        [LoggerMessage(LogLevel.Warning, "HTTPS: keeping the previous certificate - {Error}")]
        public static partial void ReloadFailed(ILogger logger, string error);

        [LoggerMessage(LogLevel.Warning, "HTTPS: certificate {Path} ({Certificate}) {Why}; clients will refuse it")]
        public static partial void InvalidAtStartup(ILogger logger, string path, string certificate, string why);

        [LoggerMessage(LogLevel.Warning, "HTTPS: certificate {Path} ({Certificate}) {Why}; taken all the same, the one it replaces was not valid either")]
        public static partial void InvalidTaken(ILogger logger, string path, string certificate, string why);
    }
}
