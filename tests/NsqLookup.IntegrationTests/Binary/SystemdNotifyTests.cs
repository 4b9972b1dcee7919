using System.Net;
using System.Net.Sockets;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>systemd <c>Type=notify</c>: the daemon reports READY=1 once both ports accept, STOPPING=1 on SIGTERM.</summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task NotifySocket_GetsReadyAfterThePortsAccept_AndStoppingOnSigterm()
    {
        using var notify = new NotifySocket();
        await using var daemon = new ProcessRunner.Running(
            DaemonProcess.BinaryPath,
            ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0"],
            environment: notify.Environment);

        (await notify.ReceiveAsync()).Should().Contain("READY=1");

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
        (await notify.ReceiveAsync()).Should().Contain("STOPPING=1");
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
    }

    [Fact]
    public async Task ReadyIsNotSentWhenAListenerFails()
    {
        using var notify = new NotifySocket();
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busy.Listen();
        await using var daemon = new ProcessRunner.Running(
            DaemonProcess.BinaryPath,
            ["--tcp-address=127.0.0.1:0", $"--http-address=127.0.0.1:{((IPEndPoint)busy.LocalEndPoint!).Port}"],
            environment: notify.Environment);
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(1);
        notify.Available.Should().Be(0, "no READY=1 may be sent for a daemon that failed to start");
    }
}
