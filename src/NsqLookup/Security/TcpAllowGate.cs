using System.Net;
using System.Net.Sockets;
using NsqLookup.Metrics;

namespace NsqLookup.Security;

/// <summary>
/// <c>--tcp-allow</c> at the accept loop: a connection from outside the list is reset before a byte of it is read, so
/// it can never IDENTIFY or REGISTER. Each refusal is counted
/// (<c>nsqlookupd_tcp_connections_refused_total{reason="allowlist"}</c>); at most one log line per
/// <see cref="LogInterval"/> names a refused peer, so a scan cannot flood the log. Called from the one accept loop only.
/// </summary>
internal sealed partial class TcpAllowGate
{
    public const string AllowlistReason = "allowlist";

    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(1);

    private readonly CidrAllowList? _allow;
    private readonly NsqLookupMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<TcpAllowGate> _logger;
    private long _lastLog;
    private bool _logged;

    public TcpAllowGate(NsqLookupOptions options, NsqLookupMetrics metrics, TimeProvider time, ILogger<TcpAllowGate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allow = CidrAllowList.FromOptions(options.TcpAllow, "tcp-allow");
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>True to serve the connection; false when it was refused (and already closed).</summary>
    public bool Admit(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (_allow is null)
        {
            return true;
        }

        EndPoint? remote;
        try
        {
            remote = socket.RemoteEndPoint;
        }
        catch (SocketException)
        {
            remote = null; // reset before we looked: refused like an unknown source
        }

        if (_allow.Contains((remote as IPEndPoint)?.Address))
        {
            return true;
        }

        _metrics.TcpConnectionRefused(AllowlistReason);
        var now = _time.GetTimestamp();
        if (!_logged || _time.GetElapsedTime(_lastLog, now) >= LogInterval)
        {
            _logged = true;
            _lastLog = now;
            Log.Refused(_logger, GoAddress.Format(remote));
        }

        try
        {
            // A reset rather than FIN: nothing is read, nothing is left in TIME_WAIT on our side.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // already reset by the peer
        }

        socket.Dispose();
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "TCP: refused client({Peer}) - not in --tcp-allow")]
        public static partial void Refused(ILogger logger, string peer);
    }
}
