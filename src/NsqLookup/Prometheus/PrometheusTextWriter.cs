using System.Globalization;
using System.Text;

namespace NsqLookup.Prometheus;

/// <summary>
/// The exposition side of <c>/metrics</c>: writes families as the Prometheus text format 0.0.4 or as OpenMetrics 1.0.0.
/// The two differ in three places: OpenMetrics names a counter's family without <c>_total</c> (its samples keep it),
/// adds a <c># UNIT</c> line for families with a unit, escapes <c>"</c> in <c># HELP</c>, and ends with <c># EOF</c>.
/// </summary>
internal static class PrometheusTextWriter
{
    public static void Write(StringBuilder text, IEnumerable<MetricFamily> families, bool openMetrics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(families);
        foreach (var family in families)
        {
            WriteFamily(text, family, openMetrics);
        }

        if (openMetrics)
        {
            text.Append("# EOF\n");
        }
    }

    internal static string FormatDouble(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString(CultureInfo.InvariantCulture);

    private static void WriteFamily(StringBuilder text, MetricFamily family, bool openMetrics)
    {
        var counter = family.Kind == MetricKind.Counter;
        var name = counter && !openMetrics ? family.Name + "_total" : family.Name;
        var type = family.Kind switch { MetricKind.Counter => "counter", MetricKind.Histogram => "histogram", _ => "gauge" };
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        if (openMetrics && family.Unit.Length > 0)
        {
            text.Append("# UNIT ").Append(name).Append(' ').Append(family.Unit).Append('\n');
        }

        if (family.Help is not null)
        {
            text.Append("# HELP ").Append(name).Append(' ');
            PrometheusNames.AppendEscaped(text, family.Help, escapeQuote: openMetrics);
            text.Append('\n');
        }

        var sample = counter ? family.Name + "_total" : family.Name;
        foreach (var series in family.Series)
        {
            if (family.Kind == MetricKind.Histogram)
            {
                WriteHistogram(text, family.Name, series, family.Bounds);
            }
            else
            {
                series.Read(out var whole, out var fraction);
                Sample(text, sample, "", series.Labels, null);
                text.Append(' ').Append(fraction == 0 ? whole.ToString(CultureInfo.InvariantCulture) : FormatDouble(whole + fraction)).Append('\n');
            }
        }
    }

    private static void WriteHistogram(StringBuilder text, string name, MetricSeries series, double[] bounds)
    {
        var buckets = series.ReadHistogram(out var count, out var sum);
        long cumulative = 0;
        for (var i = 0; i <= bounds.Length; i++)
        {
            cumulative += buckets[i];
            Sample(text, name, "_bucket", series.Labels, i < bounds.Length ? FormatDouble(bounds[i]) : "+Inf");
            text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Sample(text, name, "_sum", series.Labels, null);
        text.Append(' ').Append(FormatDouble(sum)).Append('\n');
        Sample(text, name, "_count", series.Labels, null);
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
