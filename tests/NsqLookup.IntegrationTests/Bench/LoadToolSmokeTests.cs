using System.Net;
using System.Net.Sockets;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.LoadTool;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Bench;

/// <summary>
/// CI's only run of the load tool (bench/NsqLookup.LoadTool): every scenario, in process, in a tiny configuration
/// against the in-process daemon, checking that the numbers it reports are sane. The real measurement is
/// bench/run.sh.
/// </summary>
public sealed class LoadToolSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LoadTool_RunsEveryScenarioAndReportsSaneNumbers()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var options = LoadOptions.Parse([
            $"--tcp=127.0.0.1:{daemon.TcpEndPoint.Port}",
            $"--http=127.0.0.1:{daemon.HttpPort}",
            "--producers=3", "--topics=10", "--channels=2",
            "--ping-interval=200ms", "--duration=200ms", "--warmup=0s", "--concurrency=2",
            "--mixed-producers=2", "--settle=0s",
            "--deadline=10s", // nsqd's 1 s, but a loaded CI machine can stall longer: this test checks the tool, not speed
            $"--server-pid={Environment.ProcessId}", // the daemon runs in this process
        ]);
        using var log = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await LoadRun.RunAsync(options, log, timeout.Token);
        output.WriteLine(log.ToString());
        output.WriteLine(Report.Markdown([result], commit: null, machine: false));

        var registration = result.Registration!;
        registration.Registers.Should().Be(3 * 10 * (1 + 2));
        registration.Errors.Should().Be(0);
        registration.TopicsVisible.Should().Be(10);
        registration.TopicsFullyRegistered.Should().Be(10, "every topic lists all 3 producers and both channels");
        registration.NodesVisible.Should().Be(3);
        registration.RegistersPerSecond.Should().BePositive();
        registration.RssLoadedBytes.Should().BePositive();

        result.Http.Select(h => h.Name).Should().Equal("lookup", "lookup-missing", "topics", "channels", "nodes", "nodes-single");
        foreach (var http in result.Http)
        {
            http.Errors.Should().Be(0, http.Name);
            http.Requests.Should().BePositive(http.Name);
            http.RequestsPerSecond.Should().BePositive(http.Name);
            http.Latency.P50Ms.Should().BePositive(http.Name);
            http.Latency.P99Ms.Should().BeGreaterThanOrEqualTo(http.Latency.P50Ms, http.Name);
            http.Latency.MaxMs.Should().BeGreaterThanOrEqualTo(http.Latency.P99Ms, http.Name);
            http.ServerCpuMicrosPerRequest.Should().BeGreaterThanOrEqualTo(0, http.Name);
            http.RssBytes.Should().BePositive(http.Name);
        }

        result.Mixed!.Register.Count.Should().BePositive();
        result.Mixed.RegisterErrors.Should().Be(0);
        result.Mixed.RegisterTimeouts.Should().Be(0);
        result.Mixed.IdentifyFailures.Should().Be(0);
        result.Mixed.Nodes.Errors.Should().Be(0);
        result.Disconnect!.ProducersBefore.Should().Be(3);
        result.Disconnect.Emptied.Should().BeTrue();
        result.DroppedBefore!.Values.Should().AllSatisfy(n => n.Should().Be(0), "no producer missed a deadline");
    }

    [Fact]
    public async Task SimulatedNsqd_DropsTheConnectionWhenAPINGMissesThe1sDeadline()
    {
        using var silent = new Socket(SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen();
        var peer = await NsqdPeer.ConnectAsync(silent.LocalEndPoint!, coalesce: false, CancellationToken.None);
        using var accepted = await silent.AcceptAsync().WaitAsync(TestDaemon.Timeout);

        peer.StartPinging(TimeSpan.FromMilliseconds(50));
        await Eventually.TrueAsync(() => Task.FromResult(peer.Failure is not null), TimeSpan.FromSeconds(5));

        peer.Failure.Should().Be("read: i/o timeout");
        await peer.Invoking(p => p.DisposeAsync().AsTask()).Should().NotThrowAsync();
    }
}
