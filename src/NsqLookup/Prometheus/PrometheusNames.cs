using System.Diagnostics.Metrics;
using System.Text;

namespace NsqLookup.Prometheus;

/// <summary>
/// How an instrument becomes a Prometheus family, following the Prometheus naming guide
/// (https://prometheus.io/docs/practices/naming/) where OpenTelemetry's exporter alone does not:
/// <list type="bullet">
/// <item>Type: a counter only goes up; anything that can go down is a gauge (up-down counters, gauges, observable
/// up-down counters), and so are the runtime counters that report a current level (<see cref="Kind(string, string, Type?)"/>).</item>
/// <item>Name: invalid characters become <c>_</c>; a UCUM unit becomes a suffix once (<c>s</c> → <c>_seconds</c>,
/// <c>By</c> → <c>_bytes</c>; annotations such as <c>{request}</c> add nothing); a counter's samples end in
/// <c>_total</c> (added by the writer, never twice).</item>
/// <item>The suffixes Prometheus reserves for histograms and summaries (<c>_count</c>, <c>_sum</c>, <c>_bucket</c>)
/// never end another family: OpenTelemetry's <c>x.count</c> convention becomes the plural noun, as in
/// <c>process_open_fds</c> or <c>go_threads</c> (<c>dotnet.assembly.count</c> → <c>dotnet_assemblies</c>,
/// <c>dotnet.thread_pool.work_item.count</c> → <c>dotnet_thread_pool_work_items_total</c>).</item>
/// </list>
/// OpenTelemetry's exporter keeps the instrument's type and <c>_count</c> names, which <c>promtool check metrics</c>
/// rejects; docs/metrics.md lists every name.
/// </summary>
internal static class PrometheusNames
{
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>System.Runtime instruments published as observable counters although they report a level that goes
    /// down (dotnet/runtime#112077; the queue length was changed upstream in dotnet/runtime#126482, and the docs
    /// list both as up-down counters): exported as gauges so that nobody takes a rate() of them.</summary>
    private static readonly HashSet<string> RuntimeLevels = new(StringComparer.Ordinal)
    {
        "dotnet.thread_pool.thread.count",
        "dotnet.thread_pool.queue.length",
    };

    private static readonly string[] ReservedSuffixes = ["_count", "_sum", "_bucket"];

    public static MetricKind Kind(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var type = instrument.GetType();
        return Kind(instrument.Meter.Name, instrument.Name, type.IsGenericType ? type.GetGenericTypeDefinition() : null);
    }

    /// <summary>The Prometheus type of an instrument of generic type <paramref name="definition"/>
    /// (<c>typeof(Counter&lt;&gt;)</c>, …) named <paramref name="instrument"/> on meter <paramref name="meter"/>.</summary>
    public static MetricKind Kind(string meter, string instrument, Type? definition)
    {
        if (definition == typeof(Histogram<>))
        {
            return MetricKind.Histogram;
        }

        if (definition == typeof(Counter<>))
        {
            return MetricKind.Counter;
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return meter == RuntimeMeterName && RuntimeLevels.Contains(instrument) ? MetricKind.Gauge : MetricKind.Counter;
        }

        return MetricKind.Gauge; // UpDownCounter, ObservableUpDownCounter, Gauge, ObservableGauge
    }

    /// <summary>The family name: the sanitized instrument name, a reserved suffix turned into a plural, then the
    /// unit suffix (once). Without <c>_total</c>, which the writer adds to a counter's samples.</summary>
    public static string Family(string instrument, string? unit, MetricKind kind)
    {
        var name = Sanitize(instrument, allowColon: true);
        if (kind == MetricKind.Counter && name.EndsWith("_total", StringComparison.Ordinal) && name.Length > "_total".Length)
        {
            name = name[..^"_total".Length];
        }

        if (kind != MetricKind.Histogram)
        {
            name = WithoutReservedSuffix(name);
        }

        var suffix = UnitSuffix(unit);
        return suffix.Length == 0 || name.EndsWith("_" + suffix, StringComparison.Ordinal) ? name : name + "_" + suffix;
    }

    /// <summary>The unit as Prometheus spells it, or "" when it adds no suffix.</summary>
    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }

        // Curly-brace annotations ("{request}", "By{cache}") are comments in UCUM.
        var braces = unit.IndexOf('{', StringComparison.Ordinal);
        if (braces >= 0)
        {
            unit = unit[..braces];
        }

        if (unit.Length == 0 || unit == "1")
        {
            return "";
        }

        var slash = unit.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? Sanitize(Unit(unit), allowColon: false)
            : Sanitize(Unit(unit[..slash]) + "_per_" + PerUnit(unit[(slash + 1)..]), allowColon: false);
    }

    /// <summary>A label name: letters, digits and <c>_</c> (<c>cpu.mode</c> → <c>cpu_mode</c>).</summary>
    public static string Label(string tag) => Sanitize(tag, allowColon: false);

    /// <summary>Appends a label value with the text format's escapes (backslash, double quote, line feed).</summary>
    public static void AppendEscaped(StringBuilder text, string value, bool escapeQuote = true)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '"' when escapeQuote:
                    text.Append("\\\"");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    /// <summary><c>x_count</c> → <c>xs</c>, <c>x_sum</c> → <c>x_sums</c>, <c>x_bucket</c> → <c>x_buckets</c>: a noun
    /// in the plural, the naming guide's way to say "how many".</summary>
    internal static string WithoutReservedSuffix(string name)
    {
        foreach (var reserved in ReservedSuffixes)
        {
            if (!name.EndsWith(reserved, StringComparison.Ordinal) || name.Length == reserved.Length)
            {
                continue;
            }

            // "_count" names what is counted by the word before it; "_sum" and "_bucket" are the nouns themselves.
            return reserved == "_count" ? Plural(name[..^reserved.Length]) : Plural(name);
        }

        return name;
    }

    /// <summary>The English plural of the last word: assembly → assemblies, process → processes, timer → timers.</summary>
    internal static string Plural(string word)
    {
        if (word.EndsWith('y') && word.Length > 1 && !"aeiou".Contains(word[^2], StringComparison.Ordinal))
        {
            return word[..^1] + "ies";
        }

        return word.EndsWith('s') || word.EndsWith('x') || word.EndsWith('z') || word.EndsWith("ch", StringComparison.Ordinal) || word.EndsWith("sh", StringComparison.Ordinal)
            ? word + "es"
            : word + "s";
    }

    private static string Unit(string unit) => unit switch
    {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "bit" => "bits",
        "%" => "percent",
        "Hz" => "hertz",
        _ => unit,
    };

    private static string PerUnit(string unit) => unit switch
    {
        "s" => "second",
        "min" => "minute",
        "h" => "hour",
        "d" => "day",
        _ => Unit(unit),
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var valid = name.Length > 0 && !char.IsAsciiDigit(name[0]);
        foreach (var c in name)
        {
            valid &= char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
        }

        if (valid)
        {
            return name;
        }

        var text = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            text.Append('_');
        }

        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return text.ToString();
    }
}
