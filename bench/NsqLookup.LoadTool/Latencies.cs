using System.Diagnostics;

namespace NsqLookup.LoadTool;

/// <summary>Per-operation latencies in Stopwatch ticks, appended by one worker; merged and sorted at the end.</summary>
internal sealed class Latencies
{
    private long[] _ticks = new long[4096];

    public int Count { get; private set; }

    public void Add(long ticks)
    {
        if (Count == _ticks.Length)
        {
            Array.Resize(ref _ticks, _ticks.Length * 2);
        }

        _ticks[Count++] = ticks;
    }

    public static LatencySummary Summarize(IEnumerable<Latencies> parts)
    {
        var all = parts.SelectMany(p => p._ticks.Take(p.Count)).ToArray();
        if (all.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }

        Array.Sort(all);
        return new LatencySummary(all.Length, Ms(Percentile(all, 0.50)), Ms(Percentile(all, 0.99)), Ms(all[^1]));
    }

    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Count and nearest-rank percentiles in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50Ms, double P99Ms, double MaxMs);
