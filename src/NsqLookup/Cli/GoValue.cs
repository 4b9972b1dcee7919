using System.Globalization;
using Tomlyn;
using Tomlyn.Model;

namespace NsqLookup.Cli;

/// <summary>
/// Go's <c>%v</c> of a decoded TOML value, as the original's config errors print it (<c>failed parsing log_level 3</c>,
/// <c>Resolve failed to coerce value 1.5 (45s) …</c>): strings bare, floats in <c>%g</c> form (<c>1e+06</c>), arrays as
/// <c>[a b]</c>, tables as <c>map[k:v]</c> with sorted keys. Date-times print in TOML form, not Go's.
/// </summary>
internal static class GoValue
{
    public static string Format(object? value) => value switch
    {
        null => "<nil>",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        TomlDateTime t => t.ToString(),
        TomlTable table => "map[" + string.Join(' ', table
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key + ":" + Format(kv.Value))) + "]",
        TomlTableArray tables => "[" + string.Join(' ', tables.Select(Format)) + "]",
        TomlArray array => "[" + string.Join(' ', array.Select(Format)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Go's <c>strconv.FormatFloat(f, 'g', -1, 64)</c>: shortest digits, exponent form below 1e-4 or from 1e+06.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
            return "NaN";
        if (double.IsInfinity(d))
            return d > 0 ? "+Inf" : "-Inf";
        if (d == 0)
            return double.IsNegative(d) ? "-0" : "0";

        // Shortest round-trip digits, then Go's choice between %e and %f.
        var e = d.ToString("E16", CultureInfo.InvariantCulture);
        var shortest = double.Parse(d.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        for (var precision = 0; precision <= 16; precision++)
        {
            var candidate = d.ToString("E" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (double.Parse(candidate, CultureInfo.InvariantCulture) == shortest)
            {
                e = candidate;
                break;
            }
        }

        var ePos = e.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e[..ePos];
        var exponent = int.Parse(e[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= 6)
        {
            var sign = exponent < 0 ? "-" : "+";
            return mantissa + "e" + sign + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        return d.ToString("R", CultureInfo.InvariantCulture);
    }
}
