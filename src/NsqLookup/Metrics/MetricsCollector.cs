using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace NsqLookup.Metrics;

/// <summary>
/// The <c>/metrics</c> pipeline without an SDK: one <see cref="MeterListener"/> that listens to this daemon's
/// <see cref="NsqLookupMetrics"/> meter (the instance, not the name: tests run several daemons in one process) and to the
/// runtime's <c>System.Runtime</c> meter, keeps a sum or a histogram per label set, reads the observable instruments
/// at each scrape and writes the Prometheus text format (0.0.4) or OpenMetrics 1.0.
/// <para>It replaced the OpenTelemetry SDK and its Prometheus exporter (same sample names, labels and # lines), which
/// cost 2.4 MB of the native binary, 3.8 MiB of idle RSS and ~2.5 ms of the startup, and whose self-diagnostics polled
/// for a file every 10 s and slowed every exit (bench/FOOTPRINT.md). Series are created on first use, so nothing is
/// allocated up front.</para>
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    /// <summary>The runtime's built-in meter (.NET 9+): process and GC metrics without an instrumentation package.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>Label sets per instrument; past it, measurements go to one series labelled
    /// <c>metric_overflow="true"</c>. The daemon's own labels are bounded (routes × statuses is the largest, ~100).</summary>
    public const int MaxSeriesPerInstrument = 1000;

    public const string OverflowLabel = "metric_overflow";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _scrape = new();

    public MetricsCollector(NsqLookupMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var own = metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == own || instrument.Meter.Name == RuntimeMeterName)
            {
                var state = new InstrumentState(instrument);
                _instruments[instrument] = state;
                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentState)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and renders every series: Prometheus text 0.0.4, or OpenMetrics
    /// 1.0 (<c># TYPE</c> without <c>_total</c>, <c># UNIT</c>, <c># EOF</c>).</summary>
    public string Scrape(bool openMetrics)
    {
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            var families = _instruments.Values.Where(s => !s.IsEmpty).OrderBy(s => s.Family, StringComparer.Ordinal);
            var text = new StringBuilder(16 * 1024);
            foreach (var family in families)
            {
                family.WriteTo(text, openMetrics);
            }

            if (openMetrics)
            {
                text.Append("# EOF\n");
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    internal static string FormatDouble(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString(CultureInfo.InvariantCulture);

    private enum Kind
    {
        Counter,
        Gauge,
        Histogram,
    }

    /// <summary>One instrument: its Prometheus family and its series by label set.</summary>
    private sealed class InstrumentState
    {
        // OpenTelemetry's default boundaries, for a histogram without advice.
        private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

        private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();
        private readonly Kind _kind;
        private readonly bool _set;
        private readonly double[] _bounds;
        private readonly string? _help;
        private readonly string _unit;
        private Series? _overflow;

        public InstrumentState(Instrument instrument)
        {
            var definition = instrument.GetType() is { IsGenericType: true } type ? type.GetGenericTypeDefinition() : null;
            _kind = definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? Kind.Counter
                : definition == typeof(Histogram<>) ? Kind.Histogram
                : Kind.Gauge; // UpDownCounter, ObservableUpDownCounter, Gauge, ObservableGauge

            // Observable instruments report their current value, and so does a Gauge; the others report increments.
            _set = instrument.IsObservable || definition == typeof(Gauge<>);
            _bounds = _kind == Kind.Histogram ? Bounds(instrument) : [];
            _unit = PrometheusNames.UnitSuffix(instrument.Unit);
            Family = PrometheusNames.Family(instrument.Name, instrument.Unit);
            _help = string.IsNullOrEmpty(instrument.Description) ? null : instrument.Description;
        }

        /// <summary>The family name, without <c>_total</c>.</summary>
        public string Family { get; }

        public bool IsEmpty => _series.IsEmpty && _overflow is null;

        public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (_kind == Kind.Histogram)
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
            if (_kind == Kind.Histogram)
            {
                series.Observe(value, _bounds);
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

        public void WriteTo(StringBuilder text, bool openMetrics)
        {
            // Text 0.0.4 names a counter's family with its _total sample name; OpenMetrics names it without.
            var family = _kind == Kind.Counter && !openMetrics ? Family + "_total" : Family;
            var type = _kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" };
            text.Append("# TYPE ").Append(family).Append(' ').Append(type).Append('\n');
            if (openMetrics && _unit.Length > 0)
            {
                text.Append("# UNIT ").Append(family).Append(' ').Append(_unit).Append('\n');
            }

            if (_help is not null)
            {
                text.Append("# HELP ").Append(family).Append(' ');
                PrometheusNames.AppendEscaped(text, _help, escapeQuote: openMetrics);
                text.Append('\n');
            }

            var sample = _kind == Kind.Counter ? Family + "_total" : Family;
            foreach (var series in _series.Values.OrderBy(s => s.Order))
            {
                series.WriteTo(text, _kind == Kind.Histogram ? Family : sample, _kind == Kind.Histogram ? _bounds : null);
            }

            _overflow?.WriteTo(text, _kind == Kind.Histogram ? Family : sample, _kind == Kind.Histogram ? _bounds : null);
        }

        private static double[] Bounds(Instrument instrument) => instrument switch
        {
            Histogram<double> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b],
            Histogram<float> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(v => (double)v)],
            Histogram<long> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(v => (double)v)],
            Histogram<int> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(v => (double)v)],
            _ => DefaultBounds,
        };

        private Series Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = new SeriesKey(tags);
            if (_series.TryGetValue(key, out var series))
            {
                return series;
            }

            if (_series.Count >= MaxSeriesPerInstrument)
            {
                var overflow = _overflow;
                if (overflow is null)
                {
                    var created = new Series(OverflowLabel + "=\"true\"", int.MaxValue, _bounds.Length);
                    overflow = Interlocked.CompareExchange(ref _overflow, created, null) ?? created;
                }

                return overflow;
            }

            // The key keeps its own copy of the tags: the span is only valid during the callback.
            return _series.GetOrAdd(key.Detach(), static (k, state) => new Series(k.Labels(), state.Count, state.Buckets), (Count: _series.Count, Buckets: _bounds.Length));
        }
    }

    /// <summary>The tag values of one measurement, compared without allocating: up to three inline, more in an array.</summary>
    private readonly struct SeriesKey : IEquatable<SeriesKey>
    {
        private readonly int _count;
        private readonly KeyValuePair<string, object?> _a;
        private readonly KeyValuePair<string, object?> _b;
        private readonly KeyValuePair<string, object?> _c;
        private readonly KeyValuePair<string, object?>[]? _more;

        public SeriesKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            _count = tags.Length;
            if (tags.Length > 3)
            {
                _more = tags.ToArray();
                return;
            }

            if (tags.Length > 0) _a = tags[0];
            if (tags.Length > 1) _b = tags[1];
            if (tags.Length > 2) _c = tags[2];
        }

        private SeriesKey(int count, KeyValuePair<string, object?> a, KeyValuePair<string, object?> b, KeyValuePair<string, object?> c, KeyValuePair<string, object?>[]? more)
        {
            _count = count;
            _a = a;
            _b = b;
            _c = c;
            _more = more;
        }

        /// <summary>A copy whose values are strings, so a later change to a tag object cannot change the key.</summary>
        public SeriesKey Detach() => new(_count, Text(_a), Text(_b), Text(_c), _more?.Select(Text).ToArray());

        /// <summary>The label block (<c>route="/ping",status="200"</c>), without braces.</summary>
        public string Labels()
        {
            var text = new StringBuilder();
            for (var i = 0; i < _count; i++)
            {
                var tag = At(i);
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(PrometheusNames.Label(tag.Key)).Append("=\"");
                PrometheusNames.AppendEscaped(text, Format(tag.Value));
                text.Append('"');
            }

            return text.ToString();
        }

        public bool Equals(SeriesKey other)
        {
            if (_count != other._count)
            {
                return false;
            }

            for (var i = 0; i < _count; i++)
            {
                KeyValuePair<string, object?> x = At(i), y = other.At(i);
                if (!string.Equals(x.Key, y.Key, StringComparison.Ordinal) || !string.Equals(Format(x.Value), Format(y.Value), StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is SeriesKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            for (var i = 0; i < _count; i++)
            {
                var tag = At(i);
                hash.Add(tag.Key, StringComparer.Ordinal);
                hash.Add(Format(tag.Value), StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }

        private static KeyValuePair<string, object?> Text(KeyValuePair<string, object?> tag) => new(tag.Key, Format(tag.Value));

        // Tag values are strings here (routes, statuses, commands, GC generations); anything else by its invariant text.
        private static string Format(object? value) => value switch
        {
            null => "",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

        private KeyValuePair<string, object?> At(int i) => _more is { } more ? more[i] : i switch { 0 => _a, 1 => _b, _ => _c };
    }

    /// <summary>One label set's value: a sum (counters, up-down counters), the last observation (observable
    /// instruments) or a histogram (cumulative buckets written at scrape time).</summary>
    private sealed class Series(string labels, int order, int bucketCount)
    {
        private readonly long[] _buckets = bucketCount > 0 ? new long[bucketCount + 1] : [];
        private readonly Lock _histogram = new();
        private long _long;
        private double _double;
        private long _count;

        /// <summary>Creation order: series are written in the order they first appeared, as the SDK did.</summary>
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

        public void WriteTo(StringBuilder text, string name, double[]? bounds)
        {
            if (bounds is null)
            {
                var whole = Volatile.Read(ref _long);
                var fraction = Volatile.Read(ref _double);
                Sample(text, name, "", labels, null);
                text.Append(' ').Append(fraction == 0 ? whole.ToString(CultureInfo.InvariantCulture) : FormatDouble(whole + fraction)).Append('\n');
                return;
            }

            long[] buckets;
            long count;
            double sum;
            lock (_histogram)
            {
                buckets = (long[])_buckets.Clone();
                count = _count;
                sum = _double;
            }

            long cumulative = 0;
            for (var i = 0; i <= bounds.Length; i++)
            {
                cumulative += buckets[i];
                Sample(text, name, "_bucket", labels, i < bounds.Length ? FormatDouble(bounds[i]) : "+Inf");
                text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            Sample(text, name, "_sum", labels, null);
            text.Append(' ').Append(FormatDouble(sum)).Append('\n');
            Sample(text, name, "_count", labels, null);
            text.Append(' ').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        private static void Sample(StringBuilder text, string name, string suffix, string labels, string? le)
        {
            text.Append(name).Append(suffix);
            if (labels.Length == 0 && le is null)
            {
                return;
            }

            text.Append('{').Append(labels);
            if (le is not null)
            {
                text.Append(labels.Length > 0 ? "," : "").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }
    }
}
