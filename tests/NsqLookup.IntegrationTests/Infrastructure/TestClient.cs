using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>A raw socket speaking the V1 lookup protocol, with a timeout on every read.</summary>
public sealed class TestClient : IAsyncDisposable
{
    public const string DefaultIdentifyBody =
        """{"broadcast_address":"nsqd1.example","hostname":"h1","tcp_port":4150,"http_port":4151,"version":"1.3.0"}""";

    public static readonly byte[] Magic = "  V1"u8.ToArray();

    private readonly Socket _socket;

    private TestClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    /// <summary>This socket's own address as the server sees it, in Go's <c>ip:port</c> form.</summary>
    public string LocalAddress => GoAddress.Format(_socket.LocalEndPoint);

    public static async Task<TestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint).WaitAsync(TestDaemon.Timeout);
        return new TestClient(socket);
    }

    /// <summary>The IDENTIFY command line, 4-byte big-endian size and body.</summary>
    public static byte[] Identify(string body) => Identify(Encoding.UTF8.GetBytes(body));

    public static byte[] Identify(byte[] body)
    {
        var bytes = new byte[9 + 4 + body.Length];
        "IDENTIFY\n"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(9), body.Length);
        body.CopyTo(bytes, 13);
        return bytes;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) =>
        await _socket.SendAsync(bytes, SocketFlags.None).WaitAsync(TestDaemon.Timeout);

    /// <summary>Sends the command and returns the payload of the one response frame, as text.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line);
        return await ReadFrameAsync();
    }

    public async Task<string> ReadFrameAsync() => Encoding.UTF8.GetString(await ReadFrameBytesAsync());

    public async Task<byte[]> ReadFrameBytesAsync()
    {
        var size = await ReadExactlyAsync(4);
        var length = BinaryPrimitives.ReadInt32BigEndian(size);
        return await ReadExactlyAsync(length);
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            if (n == 0)
            {
                throw new EndOfStreamException($"connection closed after {read} of {count} bytes");
            }

            read += n;
        }

        return buffer;
    }

    /// <summary>Reads everything until the server closes; fails if it stays open past the timeout.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        var all = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                return [.. all];
            }

            if (n == 0)
            {
                return [.. all];
            }

            all.AddRange(buffer.AsSpan(0, n));
        }
    }

    /// <summary>True when nothing arrives and the connection stays open for <paramref name="wait"/>
    /// (polls without consuming, so later reads see everything).</summary>
    public Task<bool> StaysSilentAsync(TimeSpan wait) =>
        Task.Run(() => !_socket.Poll((int)wait.TotalMicroseconds, SelectMode.SelectRead));

    public void HalfClose() => _socket.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
