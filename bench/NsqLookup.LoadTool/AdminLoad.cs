using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NsqLookup.LoadTool;

/// <summary>
/// <c>nsqlookup-load admin</c>: a fixed number of <c>POST /topic/create</c> (each a new topic, so each is one
/// journal record with <c>--data-path</c>) from N workers on keep-alive connections; prints throughput and
/// latency. With one worker every request waits for its own fsync; with more, the daemon's group commit lets
/// concurrent requests share one.
/// </summary>
internal static class AdminLoad
{
    public const string Usage = "usage: nsqlookup-load admin --http=HOST:PORT [--requests=N (2000)] [--concurrency=N (1)] [--prefix=TEXT]";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var http = "127.0.0.1:4161";
        var requests = 2000;
        var concurrency = 1;
        var prefix = "admin-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var arg in args)
        {
            var (name, value) = arg.Split('=', 2) is [var n, var v] ? (n, v) : throw new ArgumentException(Usage);
            switch (name)
            {
                case "--http": http = value; break;
                case "--requests": requests = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--prefix": prefix = value; break;
                default: throw new ArgumentException(Usage);
            }
        }

        var endPoint = new LoadOptions { Http = http }.HttpEndPoint;
        var next = -1;
        var errors = 0L;
        var latencies = new Latencies[concurrency];
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new Latencies();
            using var connection = await RawHttpConnection.ConnectAsync(endPoint, CancellationToken.None);
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var request = Encoding.ASCII.GetBytes(
                    $"POST /topic/create?topic={prefix}-{i} HTTP/1.1\r\nHost: {http}\r\nContent-Length: 0\r\n\r\n");
                var t0 = Stopwatch.GetTimestamp();
                var status = await connection.SendAsync(request, CancellationToken.None);
                mine.Add(Stopwatch.GetTimestamp() - t0);
                if (status != 200)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var summary = Latencies.Summarize(latencies);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"admin: {concurrency} workers, {requests} POST /topic/create in {seconds:F2} s: {requests / seconds:F0}/s, p50 {summary.P50Ms:F2} ms, p99 {summary.P99Ms:F2} ms, errors {errors}"));
        return errors == 0 ? 0 : 1;
    }
}
