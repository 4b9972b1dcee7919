using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>
/// SIGTERM drains: the listeners stop accepting, an HTTP request already in flight is still answered, every TCP
/// client — producers and half-open sockets that never sent the magic (the original hangs on those) — is
/// closed, and the process exits 0 within <c>--shutdown-timeout</c>.
/// </summary>
public sealed class GracefulDrainTests
{
    [Fact]
    public async Task Sigterm_AnswersInFlightHttp_ClosesEveryTcpClient_AndExitsZeroInTime()
    {
        await using var daemon = DaemonProcess.Start("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--shutdown-timeout=4s");
        var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);

        await using var silent = await TestClient.ConnectAsync(tcp);          // never sends the magic
        await using var producer = await TestClient.ConnectAsync(tcp);
        await producer.SendAsync(TestClient.Magic);
        await producer.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        (await producer.ReadFrameAsync()).Should().StartWith("{");

        // An HTTP request in flight: its body is only half sent when the signal arrives.
        using var request = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await request.ConnectAsync(http).WaitAsync(TestDaemon.Timeout);
        await request.SendAsync(Encoding.ASCII.GetBytes(
            "POST /topic/create?topic=drained HTTP/1.1\r\nHost: x\r\n" + InFlightHttp.ExpectContinue + "Content-Length: 10\r\n\r\n12345"), SocketFlags.None);
        await InFlightHttp.WaitContinueAsync(request); // the handler is reading its body

        var stopwatch = Stopwatch.StartNew();
        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);

        (await silent.ReadToEndAsync()).Should().BeEmpty("a socket that never sent the magic is closed too");
        (await producer.ReadToEndAsync()).Should().BeEmpty();

        await request.SendAsync(Encoding.ASCII.GetBytes("67890"), SocketFlags.None);
        var answer = new byte[4096];
        var n = await request.ReceiveAsync(answer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
        Encoding.ASCII.GetString(answer, 0, n).Should().StartWith("HTTP/1.1 200 OK");

        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4 + 2), "the drain is bounded by --shutdown-timeout");
        daemon.StdErr.Should().Contain("INFO: TCP: closing 127.0.0.1:" + tcp.Port);
    }

    [Fact]
    public async Task Sigterm_WithARequestThatNeverFinishes_StillExitsZeroWithinTheBound()
    {
        await using var daemon = DaemonProcess.Start("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--shutdown-timeout=1s");
        var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
        using var request = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await request.ConnectAsync(http).WaitAsync(TestDaemon.Timeout);
        await request.SendAsync(Encoding.ASCII.GetBytes(
            "POST /topic/create?topic=never HTTP/1.1\r\nHost: x\r\n" + InFlightHttp.ExpectContinue + "Content-Length: 10\r\n\r\n1"), SocketFlags.None);
        await InFlightHttp.WaitContinueAsync(request); // the handler is reading its body

        var stopwatch = Stopwatch.StartNew();
        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1 + 2));
    }
}
