using System.Diagnostics.CodeAnalysis;

namespace NsqLookup;

/// <summary>Go's <c>time.ParseDuration</c> (used by the duration flags and the config file).</summary>
internal static partial class GoDuration
{
    // Private names here are prefixed "Parse…" so they cannot collide with the Format half (GoDuration.cs).
    private const ulong ParseMaxMagnitude = 1UL << 63;

    /// <summary>Parses Go duration syntax: <c>[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+</c>, or a lone <c>0</c>.</summary>
    public static bool TryParse(string s, out TimeSpan value) => TryParse(s, out value, out _);

    /// <summary>As <see cref="TryParse(string, out TimeSpan)"/>, with Go's error text (e.g. <c>time: invalid duration "abc"</c>).</summary>
    public static bool TryParse(string s, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(s);
        value = TimeSpan.Zero;
        var invalid = "time: invalid duration " + QuoteForParseError(s);
        error = invalid;
        var rest = s.AsSpan();
        var negative = false;
        if (rest.Length > 0 && (rest[0] == '-' || rest[0] == '+'))
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }

        if (rest is "0")
        {
            error = null;
            return true;
        }

        if (rest.IsEmpty)
            return false;

        ulong total = 0;
        while (!rest.IsEmpty)
        {
            if (!(rest[0] == '.' || char.IsAsciiDigit(rest[0])))
                return false;

            // whole part
            ulong whole = 0;
            var i = 0;
            for (; i < rest.Length && char.IsAsciiDigit(rest[i]); i++)
            {
                if (whole > ParseMaxMagnitude / 10)
                    return false;
                whole = (whole * 10) + (ulong)(rest[i] - '0');
                if (whole > ParseMaxMagnitude)
                    return false;
            }

            var hasWhole = i > 0;
            rest = rest[i..];

            // fraction: digits beyond what fits are ignored, as in Go's leadingFraction
            ulong fraction = 0;
            double scale = 1;
            var hasFraction = false;
            if (!rest.IsEmpty && rest[0] == '.')
            {
                rest = rest[1..];
                var overflow = false;
                for (i = 0; i < rest.Length && char.IsAsciiDigit(rest[i]); i++)
                {
                    if (overflow)
                        continue;
                    if (fraction > (ParseMaxMagnitude - 1) / 10)
                    {
                        overflow = true;
                        continue;
                    }

                    var next = (fraction * 10) + (ulong)(rest[i] - '0');
                    if (next > ParseMaxMagnitude)
                    {
                        overflow = true;
                        continue;
                    }

                    fraction = next;
                    scale *= 10;
                }

                hasFraction = i > 0;
                rest = rest[i..];
            }

            if (!hasWhole && !hasFraction)
                return false;

            // unit: everything up to the next digit or '.'
            for (i = 0; i < rest.Length && rest[i] != '.' && !char.IsAsciiDigit(rest[i]); i++)
            {
            }

            if (i == 0)
            {
                error = "time: missing unit in duration " + QuoteForParseError(s);
                return false;
            }

            var unitText = rest[..i];
            rest = rest[i..];
            var unit = ParseUnitNanoseconds(unitText);
            if (unit == 0)
            {
                error = "time: unknown unit " + QuoteForParseError(unitText.ToString()) + " in duration " + QuoteForParseError(s);
                return false;
            }

            if (whole > ParseMaxMagnitude / unit)
                return false;
            whole *= unit;
            if (fraction > 0)
            {
                whole += (ulong)(fraction * (unit / scale));
                if (whole > ParseMaxMagnitude)
                    return false;
            }

            total += whole;
            if (total > ParseMaxMagnitude)
                return false;
        }

        if (!negative && total > ParseMaxMagnitude - 1)
            return false;

        // TimeSpan counts 100 ns ticks: sub-tick precision is dropped (truncated toward zero, like Go's Truncate).
        var ticks = (long)(total / 100);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        error = null;
        return true;
    }

    private static ulong ParseUnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00b5s" or "\u03bcs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };

    // Go's time package quotes with its own minimal quote(): '"' and '\' escaped, control bytes as \xNN.
    private static string QuoteForParseError(string s)
    {
        var b = new System.Text.StringBuilder(s.Length + 2);
        b.Append('"');
        foreach (var c in s)
        {
            if (c is '"' or '\\')
                b.Append('\\').Append(c);
            else if (c < ' ' || c == '\x7f')
                b.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else
                b.Append(c);
        }

        return b.Append('"').ToString();
    }
}
