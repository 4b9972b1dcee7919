using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using NsqLookup.Cli;
using NsqLookup.Hosting;
using NsqLookup.Metrics;
using NsqLookup.Protocol;

namespace NsqLookup.Tcp;

/// <summary>
/// The TCP listener nsqd registers with (nsqlookupd/tcp.go + internal/protocol/tcp_server.go). Binds in
/// <see cref="StartAsync"/> so a busy port fails startup; accepts in <see cref="ExecuteAsync"/>; on stop
/// closes the listener, then every client (their registrations go with them), then waits for the handlers.
/// Beyond <see cref="NsqLookupOptions.MaxTcpConnections"/> a new connection is reset at once and counted
/// (docs/protocol.md, "Deliberate differences" item 2), with at most one WARNING per <see cref="LimitWarningInterval"/>.
/// </summary>
internal sealed partial class TcpServer(
    ListenAddress address,
    Func<ServerIdentity, TcpClientHandler> createHandler,
    Security.TcpAllowGate allowGate,
    NsqLookupOptions options,
    TimeProvider time,
    NsqLookupMetrics metrics,
    PeerReleaseWorker releases,
    ILogger<TcpServer> logger) : BackgroundService
{
    private static readonly TimeSpan LimitWarningInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Socket, Task> _clients = new();
    private readonly TaskCompletionSource<ServerIdentity> _identity = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpClientHandler? _handler;
    private Socket? _listener;
    private int _active;

    // Set by StopAsync once it has shut every client down: the handlers then only dispose their sockets.
    private volatile bool _stopping;
    private long _rejectedSinceWarning;
    private long _lastWarning;
    private bool _warned;

    /// <summary>The bound endpoint (the real port when started on port 0).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>What IDENTIFY answers; null until <see cref="Serve"/>.</summary>
    public ServerIdentity? Identity => _identity.Task.IsCompletedSuccessfully ? _identity.Task.Result : null;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var listener = address.CreateSocket();
        try
        {
            listener.Bind(address.EndPoint);
            listener.Listen(512);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw ListenFailedException.Bind(address.Text, ex);
        }

        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        Log.Listening(logger, GoAddress.Format(LocalEndPoint));
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Starts the accept loop, once both listeners are bound and <paramref name="identity"/> names their
    /// ports. Until then connections wait in the listen backlog.</summary>
    public void Serve(ServerIdentity identity) => _identity.TrySetResult(identity);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Answer nobody before the HTTP port is bound too: IDENTIFY reports it.
        try
        {
            _handler = createHandler(await _identity.Task.WaitAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // stopped before startup finished
        }

        var listener = _listener!;
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested
                || ex is OperationCanceledException or ObjectDisposedException
                || ex is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                break; // we are stopping
            }
            catch (SocketException ex) when (IsTransient(ex.SocketErrorCode))
            {
                Log.TemporaryAcceptFailure(logger, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken).ConfigureAwait(false);
                continue;
            }

            // --tcp-allow: a refused peer is closed here, before a byte of it is read.
            if (!allowGate.Admit(socket))
            {
                continue;
            }

            // Only this loop increments, so checking then incrementing cannot overshoot the limit.
            if (options.MaxTcpConnections > 0 && Volatile.Read(ref _active) >= options.MaxTcpConnections)
            {
                Reject(socket);
                continue;
            }

            try
            {
                Configure(socket);
            }
            catch (SocketException)
            {
                socket.Dispose(); // reset before we got to it
                continue;
            }

            Interlocked.Increment(ref _active);
            metrics.TcpConnectionOpened();
            _clients[socket] = RunClientAsync(socket);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (LocalEndPoint is not null)
        {
            Log.Closing(logger, GoAddress.Format(LocalEndPoint));
        }

        // Stop accepting first (cancels the pending accept), then unbind, then close every client. The clients'
        // entries are only detached, not released one by one: the process is exiting (a few ms instead of 0.7 s at
        // 2.7M entries). Their UNREGISTER lines are still logged when INFO is on, as the original logs them.
        releases.BeginExit(listRegistrations: options.LogLevel <= LogLevel.Information);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _listener?.Dispose();

        // Shut every client down rather than dispose it under its pending read: the read then ends as an EOF, and
        // each handler closes its own socket. Disposing aborted the reads instead, and the exception each abort
        // threw through the pipe and the protocol (three throws a connection) made up a large part of the exit with hundreds of nsqd connected.
        _stopping = true;
        foreach (var socket in _clients.Keys)
        {
            ShutdownQuietly(socket);
        }

        try
        {
            await Task.WhenAll(_clients.Values).WaitAsync(options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Stragglers are closed now; their cleanup finishes in the background.
            foreach (var socket in _clients.Keys)
            {
                socket.Dispose();
            }
        }
    }

    private async Task RunClientAsync(Socket socket)
    {
        await Task.Yield();
        try
        {
            await _handler!.RunAsync(socket).ConfigureAwait(false);
        }
        finally
        {
            if (_stopping)
            {
                socket.Dispose(); // already shut down by StopAsync
            }
            else
            {
                CloseQuietly(socket);
            }

            _clients.TryRemove(socket, out _);
            Interlocked.Decrement(ref _active);
            metrics.TcpConnectionClosed();
        }
    }

    private void Reject(Socket socket)
    {
        metrics.TcpConnectionRejected();
        _rejectedSinceWarning++;
        var now = time.GetTimestamp();
        if (!_warned || time.GetElapsedTime(_lastWarning, now) >= LimitWarningInterval)
        {
            Log.TooManyConnections(logger, options.MaxTcpConnections, GoAddress.Format(socket.RemoteEndPoint), _rejectedSinceWarning);
            _warned = true;
            _lastWarning = now;
            _rejectedSinceWarning = 0;
        }

        // A reset rather than FIN: the peer learns at once, and no TIME_WAIT is left on our side.
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // already reset by the peer
        }

        socket.Dispose();
    }

    private static void Configure(Socket socket)
    {
        // As Go's net package does for accepted sockets: keep-alive is what eventually
        // removes a producer whose host vanished without FIN/RST.
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 15);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 15);
    }

    private static bool IsTransient(SocketError error) =>
        error is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.TooManyOpenSockets
            or SocketError.NoBufferSpaceAvailable or SocketError.Interrupted or SocketError.TryAgain;

    private static void CloseQuietly(Socket socket)
    {
        ShutdownQuietly(socket);
        socket.Dispose();
    }

    private static void ShutdownQuietly(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // already gone
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "TCP: listening on {Address}")]
        public static partial void Listening(ILogger logger, string address);

        [LoggerMessage(LogLevel.Information, "TCP: closing {Address}")]
        public static partial void Closing(ILogger logger, string address);

        [LoggerMessage(LogLevel.Warning, "TCP: connection limit {Max} reached - closing new client({Peer}) ({Count} rejected since the last warning)")]
        public static partial void TooManyConnections(ILogger logger, int max, string peer, long count);

        [LoggerMessage(LogLevel.Warning, "temporary Accept() failure - {Error}")]
        public static partial void TemporaryAcceptFailure(ILogger logger, string error);
    }
}
