using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.IntegrationTests.Metrics;
using NsqLookup.IntegrationTests.Tcp;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Soak;

/// <summary>
/// Churn soak: hundreds of simulated producers connect, IDENTIFY, REGISTER, PING, UNREGISTER and drop at random
/// (cleanly, with RST, and mid-command) while HTTP readers query, for <c>NSQLOOKUP_SOAK_SECONDS</c> (default 10).
/// Each producer checks its own registrations against its reference model as soon as the OK comes back; at the end
/// <c>/nodes</c> is empty, the log holds no unexpected ERROR, and heap and descriptors are back near their baseline.
/// Long run: <c>NSQLOOKUP_SOAK_SECONDS=600 dotnet test --filter Category=Soak</c>.
/// </summary>
[Trait("Category", "Soak")]
[Collection(nameof(FloodTests))]
public sealed class ChurnSoakTests(ITestOutputHelper output)
{
    private const int Producers = 200;
    private const int Readers = 4;
    private const int TopicPool = 40;

    private readonly ConcurrentQueue<string> _failures = new();
    private long _lives;
    private long _commands;
    private long _queries;
    private long _checks;
    private long _resets;
    private long _midCommand;
    private long _slowQueries;
    private long _maxQueryTicks;

    [Fact]
    public async Task Producers_ChurnWhileReadersQueryAndNothingLeaks()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("NSQLOOKUP_SOAK_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 10;
        await using var daemon = await TestDaemon.StartAsync(null, keepLogs: IsUnexpected);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{daemon.HttpPort}"),
            Timeout = TestDaemon.Timeout,
        };
        (await http.GetStringAsync("/ping")).Should().Be("OK");
        http.Dispose();
        var fdBaseline = ProcessResources.OpenDescriptors();
        var socketBaseline = ProcessResources.OpenSockets();
        var fdKinds = ProcessResources.DescribeDescriptors();
        var heapBaseline = ProcessResources.SettledHeap();

        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{daemon.HttpPort}"),
            Timeout = TestDaemon.Timeout,
        };
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        long peakHeap = 0, peakWorkingSet = 0, peakConnections = 0, peakFds = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakWorkingSet = Math.Max(peakWorkingSet, self.WorkingSet64);
                peakConnections = Math.Max(peakConnections, (long)(Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_open") ?? 0));
                peakFds = Math.Max(peakFds, ProcessResources.OpenDescriptors());
                await Task.Delay(200); // the sampling period of the peaks
            }
        });

        var workers = Enumerable.Range(1, Producers).Select(w => Task.Run(() => ProducerAsync(daemon, http, w, clock, duration)))
            .Concat(Enumerable.Range(0, Readers).Select(r => Task.Run(() => ReaderAsync(http, r, clock, duration))))
            .ToArray();
        await Task.WhenAll(workers).WaitAsync(duration + TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await sampler;

        // Everyone left: no node, no producer anywhere.
        await Eventually.TrueAsync(async () => (await http.GetStringAsync("/nodes")) == "{\"producers\":[]}");
        daemon.App.Registry.Debug().Should().BeEmpty();
        http.Dispose();

        var unexpected = daemon.Logs.Lines.Take(10).ToList();

        await Eventually.TrueAsync(() => Task.FromResult(Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_open") == 0));
        var socketsLeft = 0;
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult((socketsLeft = ProcessResources.OpenSockets()) <= socketBaseline), TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            _failures.Enqueue($"descriptors: {fdBaseline} before ({fdKinds}), after: {ProcessResources.DescribeDescriptors()}");
        }

        var fdsLeft = ProcessResources.OpenDescriptors();
        var heapAfter = ProcessResources.SettledHeap();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak {seconds}s: {_lives} producer lives ({_resets} ended by RST, {_midCommand} mid-command), {_commands} TCP commands, " +
            $"{_queries} HTTP queries (slowest {TimeSpan.FromTicks(_maxQueryTicks).TotalMilliseconds:0} ms, {_slowQueries} over 1 s), {_checks} model checks; peak {peakConnections} TCP connections, {peakFds} fds; " +
            $"heap baseline {ProcessResources.Mib(heapBaseline)}, peak {ProcessResources.Mib(peakHeap)}, after {ProcessResources.Mib(heapAfter)}; " +
            $"{daemon.Logs.Count} log lines; " +
            $"peak working set {ProcessResources.Mib(peakWorkingSet)}; fds {fdBaseline} before, {fdsLeft} after; sockets {socketBaseline} before, {socketsLeft} after"));

        _failures.Take(20).Should().BeEmpty();
        unexpected.Should().BeEmpty();
        _lives.Should().BeGreaterThan(Producers);
        heapAfter.Should().BeLessThan(heapBaseline + (16L * 1024 * 1024), "memory returns near its baseline");
    }

    /// <summary>The only log lines kept (and they fail the test): ERROR other than a client's connection error,
    /// FATAL, or anything mentioning an exception.</summary>
    private static bool IsUnexpected(string line) =>
        (line.StartsWith("ERROR:", StringComparison.Ordinal) && !line.StartsWith("ERROR: client(", StringComparison.Ordinal))
        || line.StartsWith("FATAL:", StringComparison.Ordinal)
        || line.Contains("Exception", StringComparison.Ordinal);

    /// <summary>One worker: producer lives back to back, from its own loopback address so that no other worker can
    /// reuse its ephemeral ports, and each life starts only once the previous one is gone from the registry.</summary>
    private async Task ProducerAsync(TestDaemon daemon, HttpClient http, int worker, Stopwatch clock, TimeSpan duration)
    {
        var rng = new Random(worker);
        var source = new IPAddress([127, 0, 1, (byte)worker]);
        while (clock.Elapsed < duration)
        {
            string? address = null;
            try
            {
                address = await LifeAsync(daemon, http, source, rng, worker);
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or EndOfStreamException or HttpRequestException or TaskCanceledException or JsonException)
            {
                _failures.Enqueue($"worker {worker}: {ex.GetType().Name}: {ex.Message}");
            }

            if (address is not null)
            {
                try
                {
                    await Eventually.TrueAsync(() => Task.FromResult(!daemon.App.Registry.Nodes().Any(n => n.Peer.Id == address)));
                }
                catch (TimeoutException)
                {
                    _failures.Enqueue($"{address} still registered 10s after it left");
                }
            }
        }
    }

    private async Task<string> LifeAsync(TestDaemon daemon, HttpClient http, IPAddress source, Random rng, int worker)
    {
        Interlocked.Increment(ref _lives);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(daemon.TcpEndPoint).WaitAsync(TestDaemon.Timeout);
        var me = GoAddress.Format(socket.LocalEndPoint);
        var body = $$"""{"broadcast_address":"p{{worker}}","hostname":"soak","tcp_port":4150,"http_port":4151,"version":"1.3.0"}""";
        await SendAsync(socket, [.. TestClient.Magic, .. TestClient.Identify(body)]);
        Expect(me, "IDENTIFY", await ReadFrameAsync(socket), f => f.StartsWith('{'));

        var model = new HashSet<string>();
        var steps = rng.Next(1, 10);
        for (var i = 0; i < steps; i++)
        {
            var topic = "soak" + rng.Next(TopicPool);
            switch (rng.Next(10))
            {
                case < 4:
                    {
                        var line = rng.Next(2) == 0 ? $"REGISTER {topic}\n" : $"REGISTER {topic} c{rng.Next(3)}\n";
                        if (await CommandAsync(socket, me, line))
                        {
                            model.Add(topic);
                            await CheckLookupAsync(http, me, topic, present: true);
                        }

                        break;
                    }

                case < 6:
                    if (await CommandAsync(socket, me, $"UNREGISTER {topic}\n"))
                    {
                        model.Remove(topic);
                        await CheckLookupAsync(http, me, topic, present: false);
                    }

                    break;
                case 6:
                    await CommandAsync(socket, me, $"UNREGISTER {topic} c{rng.Next(3)}\n");
                    break;
                case 7:
                    await CommandAsync(socket, me, "PING\n");
                    break;
                default:
                    await CheckNodesAsync(http, me, model);
                    break;
            }
        }

        switch (rng.Next(5))
        {
            case 0: // reset
                Interlocked.Increment(ref _resets);
                socket.LingerState = new LingerOption(true, 0);
                break;
            case 1: // mid-command, then reset
                Interlocked.Increment(ref _midCommand);
                Interlocked.Increment(ref _resets);
                await SendAsync(socket, rng.Next(2) == 0 ? "REGIS"u8.ToArray() : "REGISTER soak1 c"u8.ToArray());
                socket.LingerState = new LingerOption(true, 0);
                break;
            case 2: // mid-command, then FIN
                Interlocked.Increment(ref _midCommand);
                await SendAsync(socket, "UNREGISTER soak"u8.ToArray());
                break;
            default: // clean close (FIN)
                break;
        }

        socket.Close();
        return me;
    }

    private async Task ReaderAsync(HttpClient http, int reader, Stopwatch clock, TimeSpan duration)
    {
        var rng = new Random(1000 + reader);
        string[] paths = ["/nodes", "/topics", "/lookup?topic=soak{0}", "/channels?topic=soak{0}", "/info", "/debug"];
        while (clock.Elapsed < duration)
        {
            var path = string.Format(CultureInfo.InvariantCulture, paths[rng.Next(paths.Length)], rng.Next(TopicPool));
            try
            {
                using var response = await TimedGetAsync(http, path);
                Interlocked.Increment(ref _queries);

                // /lookup of a topic nobody has registered yet is 404 TOPIC_NOT_FOUND; everything else is 200.
                if (response.StatusCode != HttpStatusCode.OK && !(path.StartsWith("/lookup", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.NotFound))
                {
                    _failures.Enqueue($"GET {path} → {(int)response.StatusCode}");
                }

                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                _failures.Enqueue($"GET {path}: {ex.Message}");
            }
        }
    }

    private async Task<bool> CommandAsync(Socket socket, string me, string line)
    {
        await SendAsync(socket, Encoding.ASCII.GetBytes(line));
        Interlocked.Increment(ref _commands);
        return Expect(me, line.TrimEnd(), await ReadFrameAsync(socket), f => f == "OK");
    }

    /// <summary>Only this producer changes its own registrations, so once the OK is back, /lookup must agree.</summary>
    private async Task CheckLookupAsync(HttpClient http, string me, string topic, bool present)
    {
        Interlocked.Increment(ref _checks);
        Interlocked.Increment(ref _queries);
        using var response = await TimedGetAsync(http, $"/lookup?topic={topic}");
        var text = await response.Content.ReadAsStringAsync();
        var listed = text.Contains($"\"remote_address\":\"{me}\"", StringComparison.Ordinal);
        if (listed != present)
        {
            _failures.Enqueue($"{me}: /lookup?topic={topic} {(present ? "lacks" : "still lists")} it: {text}");
        }
    }

    /// <summary>/nodes lists exactly the topics the model says, for this producer.</summary>
    private async Task CheckNodesAsync(HttpClient http, string me, HashSet<string> model)
    {
        Interlocked.Increment(ref _checks);
        Interlocked.Increment(ref _queries);
        using var reply = await TimedGetAsync(http, "/nodes");
        using var nodes = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        var mine = nodes.RootElement.GetProperty("producers").EnumerateArray()
            .Where(p => p.GetProperty("remote_address").GetString() == me).ToList();
        if (mine.Count != 1)
        {
            _failures.Enqueue($"{me}: listed {mine.Count} times in /nodes");
            return;
        }

        var topics = mine[0].GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToHashSet();
        if (!topics.SetEquals(model))
        {
            _failures.Enqueue($"{me}: /nodes topics [{string.Join(",", topics.Order())}] but model [{string.Join(",", model.Order())}]");
        }
    }

    /// <summary>A GET whose latency (pool wait included) is recorded: the worst, and how many took over 1 s.</summary>
    private async Task<HttpResponseMessage> TimedGetAsync(HttpClient http, string path)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await http.GetAsync(path);
        }
        finally
        {
            var ticks = Stopwatch.GetElapsedTime(started).Ticks;
            if (ticks > TimeSpan.TicksPerSecond)
            {
                Interlocked.Increment(ref _slowQueries);
            }

            for (var max = Interlocked.Read(ref _maxQueryTicks); ticks > max; max = Interlocked.Read(ref _maxQueryTicks))
            {
                Interlocked.CompareExchange(ref _maxQueryTicks, ticks, max);
            }
        }
    }

    private bool Expect(string me, string command, string frame, Func<string, bool> ok)
    {
        if (ok(frame))
        {
            return true;
        }

        _failures.Enqueue($"{me}: {command} answered {frame}");
        return false;
    }

    private static async Task SendAsync(Socket socket, byte[] bytes) =>
        await socket.SendAsync(bytes, SocketFlags.None).WaitAsync(TestDaemon.Timeout);

    private static async Task<string> ReadFrameAsync(Socket socket)
    {
        var size = await ReadExactlyAsync(socket, 4);
        var length = (size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3];
        return Encoding.UTF8.GetString(await ReadExactlyAsync(socket, length));
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            if (n == 0)
            {
                throw new EndOfStreamException($"closed after {read} of {count} bytes");
            }

            read += n;
        }

        return buffer;
    }
}
