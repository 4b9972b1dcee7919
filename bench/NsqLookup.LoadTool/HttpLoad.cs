using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NsqLookup.LoadTool;

/// <summary>A query kind: the paths to pick from at random for each request, the status each must get, and the
/// number of workers when it is not the run's <c>--concurrency</c>.</summary>
internal sealed record HttpQuery(string Name, IReadOnlyList<string> Paths, int ExpectedStatus, int? Concurrency = null);

/// <summary>Fixed concurrency for a fixed time: each worker owns one keep-alive connection and sends its next
/// request as soon as the previous answer is read (closed loop), recording every latency.</summary>
internal static class HttpLoad
{
    public static async Task<HttpResult> RunAsync(LoadOptions o, HttpQuery query, ProcStats? server, TimeSpan duration, CancellationToken ct)
    {
        var workers = new Worker[query.Concurrency ?? o.Concurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker(o, query, seed: i);
        }

        // A stuck server must not hang the tool: hard stop well after the planned end.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(duration + TimeSpan.FromSeconds(15));
        var cpuBefore = server?.CpuMicros();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(start, duration, bound.Token))));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpuAfter = server?.CpuMicros();

        var requests = workers.Sum(w => (long)w.Latencies.Count);
        return new HttpResult(
            query.Name,
            workers.Length,
            requests,
            seconds,
            requests / seconds,
            Latencies.Summarize(workers.Select(w => w.Latencies)),
            workers.Sum(w => w.Errors),
            server is null || requests == 0 ? null : (cpuAfter!.Value - cpuBefore!.Value) / requests,
            server?.RssBytes());
    }

    private sealed class Worker(LoadOptions o, HttpQuery query, int seed)
    {
        private readonly Random _random = new(seed);

        public Latencies Latencies { get; } = new();

        public long Errors { get; private set; }

        public Task RunAsync(long start, TimeSpan duration, CancellationToken ct) =>
            o.Client == "httpclient" ? RunHttpClientAsync(start, duration, ct) : RunRawAsync(start, duration, ct);

        private int Next() => query.Paths.Count == 1 ? 0 : _random.Next(query.Paths.Count);

        private async Task RunRawAsync(long start, TimeSpan duration, CancellationToken ct)
        {
            var requests = query.Paths.Select(p => RawHttpConnection.Get(o.Http, p)).ToArray();
            RawHttpConnection? connection = null;
            try
            {
                do
                {
                    try
                    {
                        connection ??= await RawHttpConnection.ConnectAsync(o.HttpEndPoint, ct);
                        var t0 = Stopwatch.GetTimestamp();
                        var status = await connection.SendAsync(requests[Next()], ct);
                        Latencies.Add(Stopwatch.GetTimestamp() - t0);
                        if (status != query.ExpectedStatus)
                        {
                            Errors++;
                        }
                    }
                    catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException)
                    {
                        Errors++;
                        connection?.Dispose();
                        connection = null;
                        await Task.Delay(10, ct); // bounded retry pace if the server refuses
                    }
                }
                while (Stopwatch.GetElapsedTime(start) < duration && !ct.IsCancellationRequested); // at least one request, even when a loaded machine starts the worker late
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Errors++; // the hard stop cut a request short
            }
            finally
            {
                connection?.Dispose();
            }
        }

        private async Task RunHttpClientAsync(long start, TimeSpan duration, CancellationToken ct)
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Add("Accept", "application/vnd.nsq; version=1.0");
            var uris = query.Paths.Select(p => new Uri($"http://{o.Http}{p}")).ToArray();
            try
            {
                do
                {
                    try
                    {
                        var t0 = Stopwatch.GetTimestamp();
                        using var response = await client.GetAsync(uris[Next()], HttpCompletionOption.ResponseContentRead, ct);
                        Latencies.Add(Stopwatch.GetTimestamp() - t0);
                        if ((int)response.StatusCode != query.ExpectedStatus)
                        {
                            Errors++;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        Errors++;
                        await Task.Delay(10, ct);
                    }
                }
                while (Stopwatch.GetElapsedTime(start) < duration && !ct.IsCancellationRequested);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Errors++;
            }
        }
    }
}
