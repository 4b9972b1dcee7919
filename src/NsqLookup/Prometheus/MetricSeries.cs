namespace NsqLookup.Prometheus;

/// <summary>One label set's value: a sum (counters, up-down counters), the last observation (observable
/// instruments) or a histogram (per-bucket counts, made cumulative by the writer).</summary>
internal sealed class MetricSeries(string labels, int order, int bucketCount)
{
    private readonly long[] _buckets = bucketCount > 0 ? new long[bucketCount + 1] : [];
    private readonly Lock _histogram = new();
    private long _long;
    private double _double;
    private long _count;

    /// <summary>The label block without braces (<c>route="/ping"</c>), "" for none.</summary>
    public string Labels { get; } = labels;

    /// <summary>Creation order: series are written in the order they first appeared.</summary>
    public int Order { get; } = order;

    public void Add(long value) => Interlocked.Add(ref _long, value);

    public void Add(double value)
    {
        double seen, next;
        do
        {
            seen = Volatile.Read(ref _double);
            next = seen + value;
        }
        while (Interlocked.CompareExchange(ref _double, next, seen) != seen);
    }

    public void Set(long value)
    {
        Volatile.Write(ref _double, 0);
        Volatile.Write(ref _long, value);
    }

    public void Set(double value)
    {
        Volatile.Write(ref _long, 0);
        Volatile.Write(ref _double, value);
    }

    public void Observe(double value, double[] bounds)
    {
        var bucket = 0;
        while (bucket < bounds.Length && value > bounds[bucket])
        {
            bucket++;
        }

        lock (_histogram)
        {
            _buckets[bucket]++;
            _count++;
            _double += value;
        }
    }

    /// <summary>A sum or gauge: integers stay exact in <paramref name="whole"/>, doubles go to
    /// <paramref name="fraction"/>.</summary>
    public void Read(out long whole, out double fraction)
    {
        whole = Volatile.Read(ref _long);
        fraction = Volatile.Read(ref _double);
    }

    /// <summary>A consistent copy of a histogram: per-bucket counts (the last is +Inf), count and sum.</summary>
    public long[] ReadHistogram(out long count, out double sum)
    {
        lock (_histogram)
        {
            count = _count;
            sum = _double;
            return (long[])_buckets.Clone();
        }
    }
}
