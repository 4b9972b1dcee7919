using System.Text;

namespace NsqLookup.Metrics;

/// <summary>
/// How an instrument's dotted name, unit and tags become Prometheus names, the same mapping the OpenTelemetry
/// exporter used before: invalid characters become <c>_</c>, a UCUM unit becomes a suffix
/// (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations such as <c>{request}</c> add nothing), and counters
/// end in <c>_total</c> (added by the writer).
/// </summary>
internal static class PrometheusNames
{
    /// <summary>The family name: the sanitized instrument name plus its unit suffix (once).</summary>
    public static string Family(string instrument, string? unit)
    {
        var name = Sanitize(instrument, allowColon: true);
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
