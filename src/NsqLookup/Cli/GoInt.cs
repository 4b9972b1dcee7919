namespace NsqLookup.Cli;

/// <summary>
/// Go's <c>strconv.ParseInt(s, 0, 64)</c>, what <c>flag.Int</c>/<c>flag.Int64</c> use: optional sign, base from the
/// prefix (<c>0x</c>, <c>0o</c>, <c>0b</c>, a leading <c>0</c> for octal), underscores between digits.
/// </summary>
internal static class GoInt
{
    /// <summary>Go's flag package reports these instead of strconv's own texts.</summary>
    public const string ParseError = "parse error";

    public const string RangeError = "value out of range";

    /// <summary>Returns null with <paramref name="value"/> set, or <see cref="ParseError"/> / <see cref="RangeError"/>.</summary>
    public static string? TryParse(string s, out long value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            i = 1;
        }

        var bas = 10;
        var prefixed = false;
        if (s.Length - i >= 2 && s[i] == '0')
        {
            (bas, prefixed) = char.ToLowerInvariant(s[i + 1]) switch
            {
                'x' => (16, true),
                'o' => (8, true),
                'b' => (2, true),
                _ => (8, false),
            };
            if (prefixed)
            {
                i += 2;
            }
        }

        ulong magnitude = 0;
        var digits = 0;
        var lastWasDigit = prefixed; // an underscore may directly follow a base prefix
        var overflow = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '_')
            {
                if (!lastWasDigit || i + 1 >= s.Length)
                {
                    return ParseError;
                }

                lastWasDigit = false;
                continue;
            }

            var d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (d >= bas)
            {
                return ParseError;
            }

            digits++;
            lastWasDigit = true;
            var next = (magnitude * (ulong)bas) + (ulong)d;
            if (magnitude > ulong.MaxValue / (ulong)bas || next < magnitude)
            {
                overflow = true;
            }

            magnitude = next;
        }

        if (digits == 0 || !lastWasDigit)
        {
            return ParseError;
        }

        if (overflow || magnitude > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue))
        {
            return RangeError;
        }

        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return null;
    }
}
