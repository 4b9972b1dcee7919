using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>
/// Header memory an unauthenticated client controls (docs/protocol.md, "Deliberate differences"): 300 connections each
/// send a 1 MiB header and withhold the blank line that ends it. On the real binary, from <c>/proc</c>: the daemon's RSS
/// grows by less than 1.5 times what the headers weigh, and at least 90 % of that growth is given back within 30 s of
/// their closing (bench/header-memory.sh reruns the figures, beside the Go original's).
/// </summary>
public sealed class HeaderMemoryTests(ITestOutputHelper output)
{
    private const int Connections = 300;
    private const int HeaderBytes = 1024 * 1024;

    [Fact]
    public async Task WithheldHeaders_CostAboutTheirWeightAndAreGivenBackAfterTheClose()
    {
        await using var daemon = DaemonProcess.Start("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0");
        var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
        var pid = daemon.Process.Id;

        using (var ping = new HttpClient { Timeout = TestDaemon.Timeout })
        {
            (await ping.GetStringAsync($"http://127.0.0.1:{http.Port}/ping")).Should().Be("OK");
        }

        var idle = ProcessResources.ResidentBytes(pid);

        var request = Encoding.ASCII.GetBytes("GET /ping HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + new string('a', HeaderBytes));
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                held.Add(socket);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, http.Port)).WaitAsync(TestDaemon.Timeout);
                await socket.SendAsync(request, SocketFlags.None).WaitAsync(TestDaemon.Timeout);
            }

            // Every byte is in the daemon's buffers once its side of each connection has nothing left unread.
            await Eventually.TrueAsync(() => Task.FromResult(UnreadBytesOn(http.Port) is (Connections, 0)), TimeSpan.FromSeconds(20));
            var peak = ProcessResources.ResidentBytes(pid);
            var growth = peak - idle;
            var weight = (long)Connections * HeaderBytes;
            output.WriteLine($"idle {ProcessResources.Mib(idle)}, held {ProcessResources.Mib(peak)}: growth {ProcessResources.Mib(growth)} for {ProcessResources.Mib(weight)} of headers");
            growth.Should().BeLessThan(weight * 3 / 2);

            foreach (var socket in held)
            {
                socket.Dispose();
            }

            var closed = DateTime.UtcNow;
            held.Clear();
            var target = peak - (growth * 9 / 10);
            await Eventually.TrueAsync(() => Task.FromResult(ProcessResources.ResidentBytes(pid) <= target), TimeSpan.FromSeconds(30));
            output.WriteLine($"{ProcessResources.Mib(ProcessResources.ResidentBytes(pid))} {(DateTime.UtcNow - closed).TotalSeconds:0.0} s after the close");
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }

        daemon.Process.HasExited.Should().BeFalse(daemon.StdErr);
    }

    /// <summary>The established connections on the daemon's side of <paramref name="port"/> and the bytes they have
    /// received that the daemon has not read yet (<c>rx_queue</c> in <c>/proc/net/tcp</c>).</summary>
    private static (int Connections, long Unread) UnreadBytesOn(int port)
    {
        var local = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var connections = 0;
        var unread = 0L;
        foreach (var row in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            // "sl local_address rem_address st tx_queue:rx_queue ...": state 01 is ESTABLISHED.
            var fields = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 4 && fields[1].EndsWith(local, StringComparison.Ordinal) && fields[3] == "01")
            {
                connections++;
                unread += long.Parse(fields[4][(fields[4].IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return (connections, unread);
    }
}
