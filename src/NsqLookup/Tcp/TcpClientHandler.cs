using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using NsqLookup.Metrics;
using NsqLookup.Protocol;

namespace NsqLookup.Tcp;

/// <summary>
/// One accepted connection (internal/protocol/tcp_server.go + nsqlookupd/tcp.go): reads the 4-byte magic,
/// answers a wrong one with <c>E_BAD_PROTOCOL</c>, and hands the rest of the stream to
/// <see cref="LookupProtocolV1"/>. Bytes after the magic may already be buffered; they belong to the protocol.
/// The magic must arrive within <see cref="NsqLookupOptions.HandshakeTimeout"/> (docs/protocol.md, "Deliberate differences" item 3);
/// after it there is no read timeout, so an identified nsqd may stay silent as long as it likes.
/// </summary>
internal sealed partial class TcpClientHandler(
    LookupProtocolV1 protocol,
    PeerReleaseWorker releases,
    NsqLookupOptions options,
    TimeProvider time,
    NsqLookupMetrics metrics,
    ILogger<TcpClientHandler> logger)
{
    public async Task RunAsync(Socket socket)
    {
        var peer = GoAddress.Format(socket.RemoteEndPoint);
        var local = GoAddress.Format(socket.LocalEndPoint);
        Log.NewClient(logger, peer);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            byte[]? magic;
            bool partial;
            using (var handshake = options.HandshakeTimeout > TimeSpan.Zero ? new CancellationTokenSource(options.HandshakeTimeout, time) : null)
            {
                try
                {
                    (magic, partial) = await ProtocolMagic.ReadAsync(input, handshake?.Token ?? default).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (handshake is { IsCancellationRequested: true })
                {
                    // Go's wording, had it set a read deadline.
                    Log.FailedToReadMagic(logger, $"read tcp {local}->{peer}: i/o timeout");
                    return;
                }
            }

            if (magic is null)
            {
                // At exit the host shuts the socket down (TcpServer.StopAsync), which Go reports as a read error.
                Log.FailedToReadMagic(logger, releases.IsExiting ? $"read tcp {local}->{peer}: use of closed network connection"
                    : partial ? "unexpected EOF" : "EOF");
                return;
            }

            var text = Encoding.Latin1.GetString(magic);
            Log.DesiredMagic(logger, peer, text);
            if (!ProtocolMagic.IsV1(magic))
            {
                Log.BadMagic(logger, peer, text);
                metrics.ProtocolError(ProtocolError.BadProtocol);
                FrameWriter.Write(output, ProtocolError.BadProtocol.Payload);
                await output.FlushAsync().ConfigureAwait(false);
                return;
            }

            await protocol.RunAsync(input, output, new ClientV1(peer, local), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer (or shutdown) closed the socket; the protocol has already cleaned up.
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            try
            {
                // Completing flushes whatever is still buffered (e.g. an error frame whose flush already failed).
                await output.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The socket is already closed (peer gone or shutdown): nothing left to deliver.
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "TCP: new client({Peer})")]
        public static partial void NewClient(ILogger logger, string peer);

        [LoggerMessage(LogLevel.Information, "CLIENT({Peer}): desired protocol magic '{Magic}'")]
        public static partial void DesiredMagic(ILogger logger, string peer, string magic);

        [LoggerMessage(LogLevel.Error, "client({Peer}) bad protocol magic '{Magic}'")]
        public static partial void BadMagic(ILogger logger, string peer, string magic);

        [LoggerMessage(LogLevel.Error, "failed to read protocol version - {Error}")]
        public static partial void FailedToReadMagic(ILogger logger, string error);
    }
}
