using System.Net;
using System.Net.Sockets;
using System.Text;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>systemd <c>Type=notify</c>: the daemon reports READY=1 once both ports accept, STOPPING=1 on SIGTERM.</summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task NotifySocket_GetsReadyAfterThePortsAccept_AndStoppingOnSigterm()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nsqlookupd-notify-{Guid.NewGuid():N}.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            await using var daemon = new ProcessRunner.Running(
                DaemonProcess.BinaryPath,
                ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0"],
                environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path });

            (await ReceiveAsync(notify)).Should().Contain("READY=1");

            // By the time READY=1 is sent both listeners accept and answer.
            var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);
            await using (var client = await TestClient.ConnectAsync(tcp))
            {
                (await client.CommandAsync("  V1PING\n")).Should().Be("OK");
            }

            using (var httpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                (await httpClient.GetStringAsync($"http://127.0.0.1:{http.Port}/ping")).Should().Be("OK");
            }

            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            (await ReceiveAsync(notify)).Should().Contain("STOPPING=1");
            (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadyIsNotSentWhenAListenerFails()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nsqlookupd-notify-{Guid.NewGuid():N}.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(path));
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busy.Listen();
        try
        {
            await using var daemon = new ProcessRunner.Running(
                DaemonProcess.BinaryPath,
                ["--tcp-address=127.0.0.1:0", $"--http-address=127.0.0.1:{((IPEndPoint)busy.LocalEndPoint!).Port}"],
                environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path });
            (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(1);
            notify.Available.Should().Be(0, "no READY=1 may be sent for a daemon that failed to start");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[1024];
        var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
