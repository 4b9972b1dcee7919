using System.Net.Sockets;
using System.Text;

namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>A systemd-style notify socket (a Unix datagram socket in the temp folder) to hand a daemon as
/// <c>NOTIFY_SOCKET</c>; disposing it removes the socket file.</summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public NotifySocket()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nsqlookupd-notify-{Guid.NewGuid():N}.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    public string Path { get; }

    /// <summary>The environment that points a daemon at this socket.</summary>
    public Dictionary<string, string> Environment => new() { ["NOTIFY_SOCKET"] = Path };

    /// <summary>Bytes of datagrams received and not read yet.</summary>
    public int Available => _socket.Available;

    /// <summary>The next datagram, as text (20 s at most).</summary>
    public async Task<string> ReceiveAsync()
    {
        var buffer = new byte[1024];
        var n = await _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
