namespace NsqLookup.Prometheus;

/// <summary>The Prometheus type an instrument is exported as.</summary>
internal enum MetricKind
{
    /// <summary>Only goes up (restarts at 0 with the process): <c>_total</c> samples, read with <c>rate()</c>.</summary>
    Counter,

    /// <summary>A value that can go down: up-down counters, gauges, observable up-down counters.</summary>
    Gauge,

    /// <summary>Cumulative <c>_bucket</c>, <c>_sum</c> and <c>_count</c> samples.</summary>
    Histogram,
}
