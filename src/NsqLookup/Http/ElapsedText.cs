using System.Globalization;
using System.Text;

namespace NsqLookup.Http;

/// <summary>
/// Go's <c>time.Duration.String</c> for the access log's elapsed time (<c>41.291µs</c>, <c>1.5ms</c>, <c>2m3.4s</c>).
/// Kept local to the HTTP API so it does not collide with the shared duration helper of another branch; it can
/// be replaced by that one after the merge.
/// </summary>
internal static class ElapsedText
{
    public static string Format(TimeSpan elapsed)
    {
        var ns = elapsed.Ticks * 100;
        if (ns == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder(24);
        if (ns < 0)
        {
            sb.Append('-');
        }

        var u = (ulong)Math.Abs(ns);
        if (u < 1_000_000_000)
        {
            var (scale, unit) = u switch
            {
                < 1_000 => (1UL, "ns"),
                < 1_000_000 => (1_000UL, "µs"),
                _ => (1_000_000UL, "ms"),
            };
            AppendFixed(sb, u, scale);
            return sb.Append(unit).ToString();
        }

        var seconds = u / 1_000_000_000;
        var hours = seconds / 3600;
        var minutes = seconds / 60 % 60;
        if (hours > 0)
        {
            sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        AppendFixed(sb, (seconds % 60 * 1_000_000_000) + (u % 1_000_000_000), 1_000_000_000);
        return sb.Append('s').ToString();
    }

    /// <summary><paramref name="value"/>/<paramref name="scale"/> with the fraction's trailing zeros dropped.</summary>
    private static void AppendFixed(StringBuilder sb, ulong value, ulong scale)
    {
        sb.Append((value / scale).ToString(CultureInfo.InvariantCulture));
        var fraction = value % scale;
        if (fraction == 0)
        {
            return;
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        var text = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        sb.Append('.').Append(text);
    }
}
