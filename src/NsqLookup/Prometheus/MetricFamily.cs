using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace NsqLookup.Prometheus;

/// <summary>One instrument as a Prometheus family: its name, type, unit and help, and its series by label set.
/// Measurements arrive from <see cref="MetricsCollector"/>'s listener; <see cref="PrometheusTextWriter"/> reads it.</summary>
internal sealed class MetricFamily
{
    // OpenTelemetry's default boundaries, for a histogram without advice.
    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly ConcurrentDictionary<SeriesKey, MetricSeries> _series = new();
    private readonly bool _set;
    private MetricSeries? _overflow;

    public MetricFamily(Instrument instrument)
    {
        Kind = PrometheusNames.Kind(instrument);

        // Observable instruments report their current value, and so does a Gauge; the others report increments.
        _set = instrument.IsObservable || instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Gauge<>);
        Bounds = Kind == MetricKind.Histogram ? AdvisedBounds(instrument) : [];
        Unit = PrometheusNames.UnitSuffix(instrument.Unit);
        Name = PrometheusNames.Family(instrument.Name, instrument.Unit, Kind);
        Help = string.IsNullOrEmpty(instrument.Description) ? null : instrument.Description;
    }

    /// <summary>The family name, without <c>_total</c> (the writer adds it to a counter's samples).</summary>
    public string Name { get; }

    public MetricKind Kind { get; }

    /// <summary>The unit as Prometheus spells it (<c>seconds</c>), "" for none.</summary>
    public string Unit { get; }

    public string? Help { get; }

    /// <summary>A histogram's upper bounds, without +Inf; empty for the other kinds.</summary>
    public double[] Bounds { get; }

    public bool IsEmpty => _series.IsEmpty && _overflow is null;

    /// <summary>The series in the order they first appeared, the overflow series last.</summary>
    public IEnumerable<MetricSeries> Series =>
        _overflow is { } overflow ? _series.Values.OrderBy(s => s.Order).Append(overflow) : _series.Values.OrderBy(s => s.Order);

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Kind == MetricKind.Histogram)
        {
            Record((double)value, tags); // buckets and sums are doubles
            return;
        }

        // Sums and gauges of integers stay exact in a long.
        var series = Find(tags);
        if (_set)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        if (Kind == MetricKind.Histogram)
        {
            series.Observe(value, Bounds);
        }
        else if (_set)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    private static double[] AdvisedBounds(Instrument instrument) => instrument switch
    {
        Histogram<double> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b],
        Histogram<float> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(v => (double)v)],
        Histogram<long> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(v => (double)v)],
        Histogram<int> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(v => (double)v)],
        _ => DefaultBounds,
    };

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = new SeriesKey(tags);
        if (_series.TryGetValue(key, out var series))
        {
            return series;
        }

        if (_series.Count >= MetricsCollector.MaxSeriesPerInstrument)
        {
            var overflow = _overflow;
            if (overflow is null)
            {
                var created = new MetricSeries(MetricsCollector.OverflowLabel + "=\"true\"", int.MaxValue, Bounds.Length);
                overflow = Interlocked.CompareExchange(ref _overflow, created, null) ?? created;
            }

            return overflow;
        }

        // The key keeps its own copy of the tags: the span is only valid during the callback.
        return _series.GetOrAdd(key.Detach(), static (k, state) => new MetricSeries(k.Labels(), state.Count, state.Buckets), (Count: _series.Count, Buckets: Bounds.Length));
    }
}
