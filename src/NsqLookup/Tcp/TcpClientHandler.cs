using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using NsqLookup.Protocol;

namespace NsqLookup.Tcp;

/// <summary>
/// One accepted connection (internal/protocol/tcp_server.go + nsqlookupd/tcp.go): reads the 4-byte magic,
/// answers a wrong one with <c>E_BAD_PROTOCOL</c>, and hands the rest of the stream to
/// <see cref="LookupProtocolV1"/>. Bytes after the magic may already be buffered; they belong to the protocol.
/// </summary>
internal sealed partial class TcpClientHandler(LookupProtocolV1 protocol, ILogger<TcpClientHandler> logger)
{
    private static readonly byte[] MagicV1 = "  V1"u8.ToArray();

    public async Task RunAsync(Socket socket)
    {
        var peer = GoAddress.Format(socket.RemoteEndPoint);
        Log.NewClient(logger, peer);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            var magic = await ReadMagicAsync(input).ConfigureAwait(false);
            if (magic is null)
            {
                return;
            }

            var text = Encoding.Latin1.GetString(magic);
            Log.DesiredMagic(logger, peer, text);
            if (!magic.AsSpan().SequenceEqual(MagicV1))
            {
                Log.BadMagic(logger, peer, text);
                FrameWriter.Write(output, ProtocolError.BadProtocol.Payload);
                await output.FlushAsync().ConfigureAwait(false);
                return;
            }

            await protocol.RunAsync(input, output, new ClientV1(peer), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer (or shutdown) closed the socket; the protocol has already cleaned up.
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task<byte[]?> ReadMagicAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                var magic = buffer.Slice(0, 4).ToArray();
                input.AdvanceTo(buffer.GetPosition(4));
                return magic;
            }

            if (result.IsCompleted)
            {
                Log.FailedToReadMagic(logger, buffer.IsEmpty ? "EOF" : "unexpected EOF");
                input.AdvanceTo(buffer.End);
                return null;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
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
