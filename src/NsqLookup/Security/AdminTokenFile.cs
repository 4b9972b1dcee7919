using System.Security.Cryptography;
using System.Text;

namespace NsqLookup.Security;

/// <summary>
/// <c>--http-admin-token-file</c>: the one secret a script presents as <c>Authorization: Bearer &lt;secret&gt;</c>.
/// The file's content, less a trailing newline, is the secret. Its size and modification time are looked at no more
/// than once a second, on a request that needs them, and the secret re-read when either changed, so a rotated token
/// takes effect without a restart. Only a SHA-256 of the secret is kept; a presented token is hashed the same way and
/// the two 32-byte hashes compared in constant time, so neither the content nor the length of the secret leaks
/// through timing. A file that turns unreadable or empty later keeps the last good secret (a rotation that writes in
/// place may be caught half-done) and logs a warning.
/// </summary>
internal sealed partial class AdminTokenFile
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _refresh = new();
    private volatile byte[] _hash;
    private FileStamp _stamp;
    private long _lastCheck;

    private AdminTokenFile(string path, TimeProvider time, ILogger logger, byte[] hash, FileStamp stamp)
    {
        _path = path;
        _time = time;
        _logger = logger;
        _hash = hash;
        _stamp = stamp;
        _lastCheck = time.GetTimestamp();
    }

    public string Path => _path;

    /// <summary>Reads the secret at startup; an unreadable or empty file is a configuration error naming it.</summary>
    public static AdminTokenFile Load(string path, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(time);
        if (!TryRead(path, out var hash, out var stamp, out var error))
        {
            throw new InvalidOperationException($"http-admin-token-file {path}: {error}");
        }

        return new AdminTokenFile(path, time, logger, hash, stamp);
    }

    /// <summary>True when <paramref name="authorization"/> is <c>Bearer &lt;the secret&gt;</c> (scheme case-insensitive).</summary>
    public bool Matches(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || authorization.Length <= scheme.Length
            || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var expected = Current();
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..]), presented);
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    private byte[] Current()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Volatile.Read(ref _lastCheck), now) < CheckInterval)
        {
            return _hash;
        }

        lock (_refresh)
        {
            if (_time.GetElapsedTime(_lastCheck, now) < CheckInterval)
            {
                return _hash;
            }

            Volatile.Write(ref _lastCheck, now);
            if (FileStamp.Of(_path) == _stamp)
            {
                return _hash;
            }

            if (TryRead(_path, out var hash, out var newStamp, out var error))
            {
                _hash = hash;
                _stamp = newStamp;
                Log.Reloaded(_logger, _path);
            }
            else
            {
                Log.ReloadFailed(_logger, _path, error);
            }

            return _hash;
        }
    }

    private static bool TryRead(string path, out byte[] hash, out FileStamp stamp, out string error)
    {
        hash = [];
        stamp = FileStamp.Of(path);
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : ex.Message;
            return false;
        }

        var secret = text.TrimEnd('\n', '\r');
        if (secret.Length == 0)
        {
            error = "the file is empty";
            return false;
        }

        hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        error = "";
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "HTTP: admin token re-read from {Path}")]
        public static partial void Reloaded(ILogger logger, string path);

        [LoggerMessage(LogLevel.Warning, "HTTP: admin token file {Path} could not be re-read, keeping the previous token - {Error}")]
        public static partial void ReloadFailed(ILogger logger, string path, string error);
    }
}
