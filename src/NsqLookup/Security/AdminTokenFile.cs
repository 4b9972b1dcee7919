using System.Runtime.CompilerServices;
using System.Text;

namespace NsqLookup.Security;

/// <summary>
/// <c>--http-admin-token-file</c>: the one secret a script presents as <c>Authorization: Bearer &lt;secret&gt;</c>.
/// The secret is the file's content less the whitespace around it (a trailing newline, as <c>echo</c> writes it,
/// silently; anything more with a warning, as Kubernetes' and Prometheus' token files are trimmed). A secret that
/// spans lines or holds a control character could never arrive in a header: at startup that is a configuration
/// error naming the file, later the previous secret stays and a warning says why.
/// <para>
/// The file is read again no more than once a second, on a request that needs the secret, through every symbolic
/// link, and its bytes compared with those last taken (<see cref="WatchedFile"/>), so a rotation takes effect
/// without a restart however it was written: a Kubernetes Secret volume's <c>..data</c> swap, or a rewrite that
/// keeps size and modification time. A file that turns unreadable, empty or unusable later keeps the last good
/// secret (a rotation that writes in place may be caught half-done) and logs one warning per distinct problem.
/// </para>
/// <para>
/// A presented token is compared with the secret in time that depends only on the presented length, so neither the
/// content nor the length of the secret shows in the timing. No hash is taken: .NET's hashes use OpenSSL on Linux,
/// and a daemon without HTTPS needs no libssl.
/// </para>
/// </summary>
internal sealed partial class AdminTokenFile
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _refresh = new();
    private volatile byte[] _secret;
    private byte[] _content;
    private byte[]? _refused;
    private string? _lastError;
    private long _lastCheck;

    private AdminTokenFile(string path, TimeProvider time, ILogger logger, byte[] content, byte[] secret)
    {
        _path = path;
        _time = time;
        _logger = logger;
        _content = content;
        _secret = secret;
        _lastCheck = time.GetTimestamp();
    }

    public string Path => _path;

    /// <summary>Reads the secret at startup; an unreadable, empty or unusable file is a configuration error naming it.</summary>
    public static AdminTokenFile Load(string path, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (!WatchedFile.TryRead(path, out var content, out var error) || !TryParse(content, out var secret, out error, out var trimmed))
        {
            throw new InvalidOperationException($"http-admin-token-file {path}: {error}");
        }

        if (trimmed)
        {
            Log.Trimmed(logger, path);
        }

        return new AdminTokenFile(path, time, logger, content, secret);
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

        return FixedTimeMatch(Encoding.UTF8.GetBytes(authorization[scheme.Length..]), Current());
    }

    /// <summary>
    /// The secret as the file states it: surrounding whitespace removed (<paramref name="trimmed"/> when that was
    /// more than one final line ending), refused when empty or when what remains cannot travel in a header.
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<byte> content, out byte[] secret, out string error, out bool trimmed)
    {
        secret = [];
        trimmed = false;
        var body = content;
        if (body.EndsWith("\r\n"u8))
        {
            body = body[..^2];
        }
        else if (body.EndsWith("\n"u8))
        {
            body = body[..^1];
        }

        var inner = body.Trim(" \t\r\n"u8);
        trimmed = inner.Length != body.Length;
        if (inner.Length == 0)
        {
            error = content.Length == 0 ? "the file is empty" : "the file holds only whitespace";
            return false;
        }

        var newline = inner.IndexOfAny((byte)'\n', (byte)'\r');
        if (newline >= 0)
        {
            error = "the token spans more than one line, and an Authorization header carries one line (put only the token in the file)";
            return false;
        }

        for (var i = 0; i < inner.Length; i++)
        {
            if ((inner[i] < 0x20 && inner[i] != (byte)'\t') || inner[i] == 0x7F)
            {
                error = $"the token holds control character 0x{inner[i]:X2} at byte {i}, which an Authorization header cannot carry";
                return false;
            }
        }

        secret = inner.ToArray();
        error = "";
        return true;
    }

    /// <summary>Compares every presented byte, whatever the secret's length (which it reads cyclically), so the time
    /// taken depends on what the client sent alone.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    internal static bool FixedTimeMatch(ReadOnlySpan<byte> presented, ReadOnlySpan<byte> secret)
    {
        var length = secret.Length;
        var diff = presented.Length ^ length;
        var j = 0;
        for (var i = 0; i < presented.Length; i++)
        {
            diff |= presented[i] ^ secret[j];
            j++;
            j &= (j - length) >> 31; // back to 0 at the end of the secret, without a branch
        }

        return diff == 0;
    }

    private byte[] Current()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Volatile.Read(ref _lastCheck), now) < CheckInterval)
        {
            return _secret;
        }

        lock (_refresh)
        {
            if (_time.GetElapsedTime(_lastCheck, now) < CheckInterval)
            {
                return _secret;
            }

            Volatile.Write(ref _lastCheck, now);
            Refresh();
            return _secret;
        }
    }

    private void Refresh()
    {
        if (!WatchedFile.TryRead(_path, out var content, out var error))
        {
            Warn(error);
            return;
        }

        if (content.AsSpan().SequenceEqual(_content))
        {
            _lastError = null;
            return;
        }

        if (_refused is not null && content.AsSpan().SequenceEqual(_refused))
        {
            return;
        }

        if (!TryParse(content, out var secret, out error, out var trimmed))
        {
            _refused = content;
            Warn(error);
            return;
        }

        _secret = secret;
        _content = content;
        _refused = null;
        _lastError = null;
        Log.Reloaded(_logger, _path, WatchedFile.Resolve(_path));
        if (trimmed)
        {
            Log.Trimmed(_logger, _path);
        }
    }

    private void Warn(string error)
    {
        if (error != _lastError)
        {
            _lastError = error;
            Log.ReloadFailed(_logger, _path, error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "HTTP: admin token re-read from {Path} (reading {Target})")]
        public static partial void Reloaded(ILogger logger, string path, string target);

        [LoggerMessage(LogLevel.Warning, "HTTP: admin token file {Path} could not be re-read, keeping the previous token - {Error}")]
        public static partial void ReloadFailed(ILogger logger, string path, string error);

        [LoggerMessage(LogLevel.Warning, "HTTP: admin token file {Path} has spaces, tabs or blank lines around the token; they are not part of it")]
        public static partial void Trimmed(ILogger logger, string path);
    }
}
