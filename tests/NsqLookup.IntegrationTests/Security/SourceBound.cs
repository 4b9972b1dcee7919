using System.Net;
using System.Net.Sockets;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Security;

/// <summary>Connections from a chosen loopback source (127.0.0.2 plays "another host"): raw TCP and an HttpClient.</summary>
internal static class SourceBound
{
    public static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");

    public static async Task<Socket> ConnectAsync(IPAddress source, IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(server).WaitAsync(TestDaemon.Timeout);
        return socket;
    }

    /// <summary>Connects from <paramref name="source"/>, sends <paramref name="bytes"/> and reads until the server
    /// closes; returns what it answered (a reset at any point, even during the connect, ends the reading).</summary>
    public static async Task<byte[]> ExchangeAsync(IPAddress source, IPEndPoint server, byte[] bytes)
    {
        var received = new List<byte>();
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(server).WaitAsync(TestDaemon.Timeout);
            await socket.SendAsync(bytes, SocketFlags.None).WaitAsync(TestDaemon.Timeout);
            var buffer = new byte[4096];
            int n;
            while ((n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout)) > 0)
            {
                received.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
        {
            // refused: the reset ends the exchange
        }

        return [.. received];
    }

    public static HttpClient Http(IPAddress source, int port) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, token) =>
        {
            var socket = await ConnectAsync(source, new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port));
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = TestDaemon.Timeout,
    };
}
