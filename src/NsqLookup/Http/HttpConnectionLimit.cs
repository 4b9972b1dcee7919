using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using NsqLookup.Cli;
using NsqLookup.Metrics;

namespace NsqLookup.Http;

/// <summary>
/// <c>--http-max-connections</c>: one budget of open connections for the HTTP and HTTPS listeners together. Beyond it
/// a new connection is reset at once (before TLS or a byte of HTTP is read) and counted, with at most one WARNING per
/// <see cref="WarningInterval"/>, as <c>--max-tcp-connections</c> does on the TCP port (Tcp/TcpServer.cs). Kestrel's
/// own <c>Limits.MaxConcurrentConnections</c> keeps one counter per endpoint, so with both listeners it would allow
/// twice the limit; this connection middleware is installed first on each endpoint and shares one counter.
/// </summary>
internal sealed partial class HttpConnectionLimit(NsqLookupOptions options, NsqLookupMetrics metrics, TimeProvider time, ILogger<HttpConnectionLimit> logger)
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _warningLock = new();
    private int _open;
    private long _rejectedSinceWarning;
    private long _lastWarning;
    private bool _warned;

    /// <summary>HTTP and HTTPS connections being served now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Puts the limit in front of everything else on an endpoint (no-op when the limit is 0).</summary>
    public void Install(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
    {
        if (options.HttpMaxConnections > 0)
        {
            listen.Use(next => connection => OnConnectionAsync(connection, next));
        }
    }

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        // Accepts on the two endpoints run concurrently: take a slot first, give it back when over.
        if (Interlocked.Increment(ref _open) > options.HttpMaxConnections)
        {
            Interlocked.Decrement(ref _open);
            Reject(connection);
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private void Reject(ConnectionContext connection)
    {
        metrics.HttpConnectionRejected();
        Warn(connection);

        // A reset rather than FIN, as on the TCP port: the peer learns at once, and no TIME_WAIT is left on our side.
        // Kestrel closes the socket when this middleware returns without calling the next one.
        try
        {
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // already reset by the peer
        }
    }

    private void Warn(ConnectionContext connection)
    {
        long count;
        lock (_warningLock)
        {
            _rejectedSinceWarning++;
            var now = time.GetTimestamp();
            if (_warned && time.GetElapsedTime(_lastWarning, now) < WarningInterval)
            {
                return;
            }

            _warned = true;
            _lastWarning = now;
            count = _rejectedSinceWarning;
            _rejectedSinceWarning = 0;
        }

        var peer = connection.RemoteEndPoint is System.Net.IPEndPoint ip ? GoAddress.Format(ip) : connection.RemoteEndPoint?.ToString() ?? "";
        Log.TooManyConnections(logger, options.HttpMaxConnections, peer, count);
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "HTTP: connection limit {Max} reached - closing new client({Peer}) ({Count} rejected since the last warning)")]
        public static partial void TooManyConnections(ILogger logger, int max, string peer, long count);
    }
}
