using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NsqLookup.LoadTool;

/// <summary>
/// One keep-alive HTTP/1.1 connection sending pre-built GET requests and reading just enough of each answer to
/// frame it (status, Content-Length or chunked), discarding the body. On one client core this costs a fraction of
/// what HttpClient does per request, so the load tool measures the server rather than itself.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static async Task<RawHttpConnection> ConnectAsync(EndPoint server, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RawHttpConnection(socket);
    }

    /// <summary>A GET as consumers send it (go-nsq adds the Accept header; the server ignores it).</summary>
    public static byte[] Get(string host, string pathAndQuery) => Encoding.ASCII.GetBytes(
        $"GET {pathAndQuery} HTTP/1.1\r\nHost: {host}\r\nAccept: application/vnd.nsq; version=1.0\r\n\r\n");

    /// <summary>Sends one request and reads its whole answer; returns the status code.</summary>
    public async Task<int> SendAsync(byte[] request, CancellationToken ct)
    {
        await _socket.SendAsync(request, SocketFlags.None, ct);
        var headerEnd = await FindAsync(HeaderEnd, ct);
        var status = ParseStatus();
        var (contentLength, chunked) = ParseFraming(headerEnd);
        _start = headerEnd + 4;
        if (chunked)
        {
            await SkipChunkedAsync(ct);
        }
        else
        {
            await SkipAsync(contentLength, ct);
        }

        return status;
    }

    public void Dispose() => _socket.Dispose();

    private int ParseStatus()
    {
        // "HTTP/1.1 200 OK"
        var line = _buffer.AsSpan(_start, 12);
        if (!line.StartsWith("HTTP/1."u8))
        {
            throw new InvalidDataException("not an HTTP/1.x answer");
        }

        return ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
    }

    private (long ContentLength, bool Chunked) ParseFraming(int headerEnd)
    {
        var headers = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        long length = 0;
        var chunked = false;
        foreach (var line in headers.Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(line.AsSpan(15).Trim(), provider: System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("transfer-encoding:", StringComparison.OrdinalIgnoreCase) &&
                     line.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }

        return (length, chunked);
    }

    private async Task SkipChunkedAsync(CancellationToken ct)
    {
        while (true)
        {
            var lineEnd = await FindAsync(CrLf, ct);
            var sizeText = Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start).Split(';')[0];
            var size = Convert.ToInt64(sizeText.Trim(), 16);
            _start = lineEnd + 2;
            await SkipAsync(size + 2, ct); // the chunk and its CRLF; the last chunk (0) has no trailers here
            if (size == 0)
            {
                return;
            }
        }
    }

    private async Task SkipAsync(long count, CancellationToken ct)
    {
        while (true)
        {
            var buffered = _end - _start;
            if (buffered >= count)
            {
                _start += (int)count;
                return;
            }

            count -= buffered;
            _start = _end = 0;
            await FillAsync(ct);
        }
    }

    /// <summary>Reads until <paramref name="marker"/> is buffered; returns its absolute index.</summary>
    private async Task<int> FindAsync(byte[] marker, CancellationToken ct)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
            if (at >= 0)
            {
                return _start + at;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            await FillAsync(ct);
        }
    }

    private async Task FillAsync(CancellationToken ct)
    {
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        if (read == 0)
        {
            throw new IOException("server closed the connection");
        }

        _end += read;
    }
}
