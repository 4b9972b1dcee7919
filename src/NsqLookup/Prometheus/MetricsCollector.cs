using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using NsqLookup.Metrics;

namespace NsqLookup.Prometheus;

/// <summary>
/// The collecting side of <c>/metrics</c>, without an SDK: one <see cref="MeterListener"/> that listens to this daemon's
/// <see cref="NsqLookupMetrics"/> meter (the instance, not the name: tests run several daemons in one process) and to the
/// runtime's <c>System.Runtime</c> meter, and keeps a <see cref="MetricFamily"/> per instrument. A scrape reads the
/// observable instruments and hands the families to <see cref="PrometheusTextWriter"/>.
/// <para>It replaced the OpenTelemetry SDK and its Prometheus exporter, which added to the native binary's size,
/// its idle RSS and its startup, and whose self-diagnostics polled for a file every 10 s and slowed
/// every exit (bench/FOOTPRINT.md). Series are created on first use, so nothing is allocated up front.</para>
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    /// <summary>The runtime's built-in meter (.NET 9+): process and GC metrics without an instrumentation package.</summary>
    public const string RuntimeMeterName = PrometheusNames.RuntimeMeterName;

    /// <summary>Label sets per instrument; past it, measurements go to one series labelled
    /// <c>metric_overflow="true"</c>. The daemon's own labels are bounded (routes × statuses is the largest, ~100).</summary>
    public const int MaxSeriesPerInstrument = 1000;

    public const string OverflowLabel = "metric_overflow";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, MetricFamily> _families = new();
    private readonly Lock _scrape = new();

    /// <param name="metrics">The daemon's instruments.</param>
    /// <param name="refusableRoutes">The HTTP routes a request can be refused on (403), whose refusal counters start
    /// at 0.</param>
    public MetricsCollector(NsqLookupMetrics metrics, IEnumerable<string>? refusableRoutes = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var own = metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == own || instrument.Meter.Name == RuntimeMeterName)
            {
                var family = new MetricFamily(instrument);
                _families[instrument] = family;
                listener.EnableMeasurementEvents(instrument, family);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out MetricFamily? _);
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));
        _listener.Start();

        // Counters with a known label set exist from the first scrape, at 0, so that rate() and increase() see the
        // first event (a series that appears with its first increment has no earlier sample to rise from).
        metrics.RecordZeros(refusableRoutes);
    }

    /// <summary>Reads the observable instruments and renders every family with samples: Prometheus text 0.0.4, or
    /// OpenMetrics 1.0.0.</summary>
    public string Scrape(bool openMetrics)
    {
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            var text = new StringBuilder(16 * 1024);
            PrometheusTextWriter.Write(text, _families.Values.Where(f => !f.IsEmpty).OrderBy(f => f.Name, StringComparer.Ordinal), openMetrics);
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();
}
