using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace NsqLookup.LoadTool;

/// <summary>
/// The scenarios, in order, against one lookupd: load every registration over the producer connections (time,
/// server CPU, RSS per entry, then a check that /lookup and /nodes show it all), HTTP query load, REGISTER latency
/// of fresh producers during /nodes load, and the time for /nodes to empty once every producer disconnects.
/// </summary>
internal sealed class LoadRun : IAsyncDisposable
{
    private readonly LoadOptions _o;
    private readonly TextWriter _log;
    private readonly ProcStats? _server;
    private readonly Topology _topology;
    private readonly HttpClient _http;
    private readonly List<NsqdPeer> _peers = [];

    public LoadRun(LoadOptions options, TextWriter log)
    {
        _o = options;
        _log = log;
        _server = options.ServerPid is int pid ? new ProcStats(pid) : null;
        _topology = new Topology(options.Topics, options.Channels);
        _http = new HttpClient { BaseAddress = new Uri($"http://{options.Http}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<RunResult> RunAsync(LoadOptions options, TextWriter log, CancellationToken ct)
    {
        await using var run = new LoadRun(options, log);
        return await run.RunAllAsync(ct);
    }

    public async Task<RunResult> RunAllAsync(CancellationToken ct)
    {
        var config = new RunConfig(_o.Tcp, _o.Http, _o.Producers, _o.Topics, _o.Channels, _o.Keys, _o.Entries,
            _o.Duration.TotalSeconds, _o.Concurrency, _o.Client, _o.MixedProducers, _o.PingInterval.TotalSeconds, _o.CoalesceWrites, _server is not null);
        _log.WriteLine($"config: {config}");
        RegistrationResult? registration = null;
        var http = new List<HttpResult>();
        var drops = new Dictionary<string, int>();
        MixedResult? mixed = null;
        DisconnectResult? disconnect = null;
        if (_o.Scenarios.Contains("register"))
        {
            registration = await RegisterAllAsync(ct);
            _log.WriteLine($"register: {registration}");
            if (_o.Scenarios.Contains("http"))
            {
                foreach (var query in Queries())
                {
                    drops[query.Name] = await RestoreDroppedAsync(query.Name, ct);
                    if (_o.Warmup > TimeSpan.Zero)
                    {
                        await HttpLoad.RunAsync(_o, query, null, _o.Warmup, ct);
                    }

                    var result = await HttpLoad.RunAsync(_o, query, _server, _o.Duration, ct);
                    _log.WriteLine($"http: {result}");
                    http.Add(result);
                }
            }

            if (_o.Scenarios.Contains("mixed"))
            {
                drops["mixed"] = await RestoreDroppedAsync("mixed", ct);
                mixed = await MixedAsync(ct);
                _log.WriteLine($"mixed: {mixed}");
            }

            if (_o.Scenarios.Contains("disconnect"))
            {
                drops["disconnect"] = await RestoreDroppedAsync("disconnect", ct);
                disconnect = await DisconnectAsync(ct);
                _log.WriteLine($"disconnect: {disconnect}");
            }
        }

        if (_o.Hold > TimeSpan.Zero)
        {
            _log.WriteLine("holding");
            await Task.Delay(_o.Hold, ct);
        }

        return new RunResult(config, registration, http, mixed, disconnect, drops);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }

        _http.Dispose();
    }

    /// <summary>The HTTP query mix: /lookup over random existing topics, a missing topic, and the listings.</summary>
    private List<HttpQuery> Queries() =>
    [
        new("lookup", _topology.TopicNames.Select(t => $"/lookup?topic={t}").ToArray(), 200),
        new("lookup-missing", ["/lookup?topic=bench-missing"], 404),
        new("topics", ["/topics"], 200),
        new("channels", _topology.TopicNames.Select(t => $"/channels?topic={t}").ToArray(), 200),
        new("nodes", ["/nodes"], 200),
        new("nodes-single", ["/nodes"], 200, Concurrency: 1), // what one nsqadmin page load waits for
    ];

    private async Task<RegistrationResult> RegisterAllAsync(CancellationToken ct)
    {
        var rssIdle = _server?.RssBytes();
        for (var i = 0; i < _o.Producers; i++)
        {
            _peers.Add(await NsqdPeer.ConnectAsync(_o.TcpEndPoint, _o.CoalesceWrites, ct, _o.Deadline));
        }

        await Task.WhenAll(_peers.Select((p, i) =>
            p.IdentifyAsync(NsqdPeer.IdentifyBody(Topology.BroadcastAddress("nsqd", i), 4150, 4151))));
        foreach (var peer in _peers)
        {
            peer.StartPinging(_o.PingInterval);
        }

        var rssConnected = _server?.RssBytes();
        var cpuBefore = _server?.CpuMicros();
        var toolCpuBefore = Environment.CpuUsage.TotalTime;
        var latencies = _peers.Select(_ => new Latencies()).ToArray();
        var errors = new long[_peers.Count];
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(_peers.Select((peer, i) => Task.Run(async () =>
        {
            try
            {
                foreach (var topic in _topology.Topics)
                {
                    latencies[i].Add(await peer.RegisterAsync(topic, null));
                    foreach (var channel in _topology.Channels)
                    {
                        latencies[i].Add(await peer.RegisterAsync(topic, channel));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException)
            {
                errors[i]++; // nsqd would drop this connection; the rest of its REGISTERs are lost
                _log.WriteLine($"producer {i}: {ex.Message}");
            }
        }, ct)));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpuAfter = _server?.CpuMicros();
        var toolCpuSeconds = (Environment.CpuUsage.TotalTime - toolCpuBefore).TotalSeconds;
        await Task.Delay(_o.Settle, ct);
        var rssLoaded = _server?.RssBytes();

        var registers = latencies.Sum(l => (long)l.Count);
        var (visible, full) = await VerifyLookupAsync(ct);
        return new RegistrationResult(
            registers,
            seconds,
            registers / seconds,
            Latencies.Summarize(latencies),
            errors.Sum(),
            _server is null ? null : (cpuAfter!.Value - cpuBefore!.Value) / registers,
            rssIdle,
            rssConnected,
            rssLoaded,
            _server is null ? null : (double)(rssLoaded!.Value - rssIdle!.Value) / _o.Entries,
            visible,
            full,
            await CountNodesAsync(ct),
            toolCpuSeconds / seconds,
            _server is null ? null : (cpuAfter!.Value - cpuBefore!.Value) / 1e6 / seconds);
    }

    /// <summary>How many topics /lookup knows, and how many list every producer and every channel.</summary>
    private async Task<(int Visible, int Full)> VerifyLookupAsync(CancellationToken ct)
    {
        int visible = 0, full = 0;
        foreach (var topic in _topology.TopicNames)
        {
            using var response = await _http.GetAsync($"/lookup?topic={topic}", ct);
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            visible++;
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            if (json.RootElement.GetProperty("producers").GetArrayLength() == _o.Producers &&
                json.RootElement.GetProperty("channels").GetArrayLength() == _o.Channels)
            {
                full++;
            }
        }

        return (visible, full);
    }

    private async Task<int> CountNodesAsync(CancellationToken ct)
    {
        using var json = await _http.GetFromJsonAsync<JsonDocument>("/nodes", ct);
        return json!.RootElement.GetProperty("producers").GetArrayLength();
    }

    /// <summary>Fresh producers register topics (each REGISTER t then REGISTER t c0, paced like runtime topic
    /// creation) while the HTTP workers hammer /nodes; then they disconnect.</summary>
    private async Task<MixedResult> MixedAsync(CancellationToken ct)
    {
        var nodes = HttpLoad.RunAsync(_o, new HttpQuery("nodes-during-register", ["/nodes"], 200), null, _o.Duration, ct);
        var producers = Enumerable.Range(0, _o.MixedProducers)
            .Select(i => new FreshProducer(_o.TcpEndPoint, _o.CoalesceWrites, _o.Deadline, i, _log)).ToArray();
        var start = Stopwatch.GetTimestamp();
        var until = _o.Duration - TimeSpan.FromMilliseconds(Math.Min(500, _o.Duration.TotalMilliseconds / 4));
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200, _o.Duration.TotalMilliseconds / 10)), ct); // let /nodes load build up
        await Task.WhenAll(producers.Select(p => Task.Run(() => p.RunAsync(start, until, _o.MixedInterval, ct), ct)));
        return new MixedResult(
            Latencies.Summarize(producers.Select(p => p.Registers)),
            producers.Sum(p => p.RegisterTimeouts),
            producers.Sum(p => p.IdentifyFailures),
            producers.Sum(p => p.Errors),
            await nodes);
    }

    /// <summary>Closes every producer connection at once (nsqd shutdown: no UNREGISTER) and polls /nodes until
    /// it is empty.</summary>
    private async Task<DisconnectResult> DisconnectAsync(CancellationToken ct)
    {
        var before = await CountNodesAsync(ct);
        var start = Stopwatch.GetTimestamp();
        foreach (var peer in _peers)
        {
            peer.Close();
        }

        // The answer is known to be empty when it arrives, and was not yet empty when the previous answer was sent:
        // the true time lies between the last non-empty answer (0 if none) and the first empty one.
        var polls = 0;
        var lastNonEmpty = 0.0;
        while (Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(10))
        {
            polls++;
            var left = await CountNodesAsync(ct);
            var at = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (left == 0)
            {
                return new DisconnectResult(before, at, lastNonEmpty, polls, true, 0);
            }

            lastNonEmpty = at;
        }

        return new DisconnectResult(before, Stopwatch.GetElapsedTime(start).TotalMilliseconds, lastNonEmpty, polls, false, 0);
    }

    /// <summary>
    /// Producers whose connection failed since the last scenario (a PING or REGISTER missed the 1 s deadline) are
    /// reconnected and replayed, as nsqd does at its next tick, so every scenario starts with all producers registered.
    /// Returns how many had dropped.
    /// </summary>
    private async Task<int> RestoreDroppedAsync(string scenario, CancellationToken ct)
    {
        var dropped = Enumerable.Range(0, _peers.Count).Where(i => _peers[i].Failure is not null).ToList();
        foreach (var failure in dropped.GroupBy(i => _peers[i].Failure))
        {
            _log.WriteLine($"before {scenario}: {failure.Count()} producer connection(s) had failed: {failure.Key}");
        }

        if (dropped.Count > 0)
        {
            await Task.WhenAll(dropped.Select(i => Task.Run(() => ReconnectAndReplayAsync(i, ct), ct)));
            _log.WriteLine($"before {scenario}: reconnected and replayed {dropped.Count} producer(s); /nodes lists {await CountNodesAsync(ct)}");
        }

        return dropped.Count;
    }

    /// <summary>nsqd's reconnect (its <c>connectCallback</c> in nsqd/lookup.go): IDENTIFY, then per topic one
    /// <c>REGISTER t c</c> per channel (a bare <c>REGISTER t</c> only for a topic without channels).</summary>
    private async Task ReconnectAndReplayAsync(int i, CancellationToken ct)
    {
        await _peers[i].DisposeAsync();
        try
        {
            var peer = await NsqdPeer.ConnectAsync(_o.TcpEndPoint, _o.CoalesceWrites, ct, _o.Deadline);
            _peers[i] = peer;
            await peer.IdentifyAsync(NsqdPeer.IdentifyBody(Topology.BroadcastAddress("nsqd", i), 4150, 4151));
            peer.StartPinging(_o.PingInterval);
            foreach (var topic in _topology.Topics)
            {
                if (_topology.Channels.Count == 0)
                {
                    await peer.RegisterAsync(topic, null);
                }

                foreach (var channel in _topology.Channels)
                {
                    await peer.RegisterAsync(topic, channel);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException or System.Net.Sockets.SocketException)
        {
            _log.WriteLine($"producer {i}: reconnect and replay failed: {ex.Message}");
        }
    }
}
