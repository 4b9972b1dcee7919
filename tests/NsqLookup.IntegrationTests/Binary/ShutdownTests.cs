using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>
/// SIGTERM with producers still connected: their entries are not released one by one (the process is exiting), yet
/// the log still says what the original says at exit — every registration of every connected producer gets its
/// <c>DB: client(…) UNREGISTER</c> line, once — an HTTP request in flight is still answered, and the exit code is 0.
/// </summary>
public sealed partial class ShutdownTests
{
    private const int Producers = 8;
    private const int Topics = 150;

    [Fact]
    public async Task Sigterm_WithManyRegistrations_LogsEveryUnregisterOnce_DrainsHttp_AndExitsZero()
    {
        await using var daemon = DaemonProcess.Start("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--shutdown-timeout=5s");
        var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);
        var producers = new List<TestClient>();
        try
        {
            for (var p = 0; p < Producers; p++)
            {
                producers.Add(await RegisteredProducerAsync(tcp, p));
            }

            using var request = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await request.ConnectAsync(http).WaitAsync(TestDaemon.Timeout);
            await request.SendAsync(Encoding.ASCII.GetBytes(
                "POST /topic/create?topic=drained HTTP/1.1\r\nHost: x\r\n" + InFlightHttp.ExpectContinue + "Content-Length: 4\r\n\r\n12"), SocketFlags.None);
            await InFlightHttp.WaitContinueAsync(request); // the handler is reading its body

            // Every REGISTER line written: the log queue is empty again before the exit adds its UNREGISTER lines.
            (await daemon.WaitForAsync(
                d => producers.Select((p, i) => $"client({p.LocalAddress}) REGISTER category:channel key:t{Topics - 1} subkey:c{i}")
                    .All(line => d.StdErr.Contains(line, StringComparison.Ordinal)),
                TestDaemon.Timeout)).Should().BeTrue("the daemon logs every REGISTER");

            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            foreach (var producer in producers)
            {
                (await producer.ReadToEndAsync()).Should().BeEmpty("every producer is closed");
            }

            await request.SendAsync(Encoding.ASCII.GetBytes("34"), SocketFlags.None);
            var answer = new byte[4096];
            var n = await request.ReceiveAsync(answer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            Encoding.ASCII.GetString(answer, 0, n).Should().StartWith("HTTP/1.1 200 OK", "a request in flight drains");

            (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
            var lines = daemon.StdErr.Split('\n');
            foreach (var producer in producers)
            {
                var peer = producer.LocalAddress;
                var unregistered = lines.Where(l => l.Contains($"INFO: DB: client({peer}) UNREGISTER ", StringComparison.Ordinal))
                    .Select(l => UnregisterKey().Match(l).Value).ToList();
                unregistered.Should().OnlyHaveUniqueItems();
                unregistered.Should().HaveCount(1 + (Topics * 2), "client::, each topic and each channel, once each");
                unregistered.Should().Contain("category:client key: subkey:");
                unregistered.Should().Contain($"category:topic key:t{Topics - 1} subkey:");
                unregistered.Should().Contain($"category:channel key:t0 subkey:c{producers.IndexOf(producer)}");
                lines.Should().Contain(l => l.EndsWith($"INFO: PROTOCOL(V1): [{peer}] exiting ioloop", StringComparison.Ordinal));
            }

            lines.Should().Contain(l => l.EndsWith("INFO: TCP: closing 127.0.0.1:" + tcp.Port, StringComparison.Ordinal));
            lines.Should().Contain(l => l.EndsWith("INFO: HTTP: closing 127.0.0.1:" + http.Port, StringComparison.Ordinal));
            lines.Should().NotContain(l => l.Contains("FATAL", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var producer in producers)
            {
                await producer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Stop_AtWarnLevel_OnlyDetachesConnectedProducers_AndLogsNoUnregisterLines()
    {
        var daemon = await TestDaemon.StartAsync(null, o => o with { LogLevel = LogLevel.Warning });
        var producers = new List<TestClient>();
        try
        {
            for (var p = 0; p < 3; p++)
            {
                producers.Add(await RegisteredProducerAsync(daemon.TcpEndPoint, p));
            }

            await daemon.App.StopAsync().WaitAsync(TestDaemon.Timeout);
            foreach (var producer in producers)
            {
                (await producer.ReadToEndAsync()).Should().BeEmpty();
            }

            daemon.App.Registry.PruneEmptyKeys(TimeSpan.Zero).Should().BeEmpty(
                "an exiting daemon does not free its entries one by one: every key still holds its producer's entry");
            daemon.App.Registry.Nodes().Should().BeEmpty();
            daemon.Logs.Lines.Should().NotContain(l => l.Contains("UNREGISTER", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var producer in producers)
            {
                await producer.DisposeAsync();
            }

            await daemon.DisposeAsync();
        }
    }

    /// <summary>IDENTIFY, then REGISTER t0…t{Topics-1} each with channel c{index}, pipelined, every OK read.</summary>
    private static async Task<TestClient> RegisteredProducerAsync(IPEndPoint tcp, int index)
    {
        var producer = await TestClient.ConnectAsync(tcp);
        await producer.SendAsync(TestClient.Magic);
        await producer.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        (await producer.ReadFrameAsync()).Should().StartWith("{");
        var commands = new StringBuilder();
        for (var t = 0; t < Topics; t++)
        {
            commands.Append($"REGISTER t{t} c{index}\n");
        }

        await producer.SendAsync(commands.ToString());
        for (var t = 0; t < Topics; t++)
        {
            (await producer.ReadFrameAsync()).Should().Be("OK");
        }

        return producer;
    }

    [GeneratedRegex("category:\\S+ key:\\S* subkey:\\S*$")]
    private static partial Regex UnregisterKey();
}
