namespace NsqLookup;

/// <summary>
/// Go's <c>time.Duration</c> text form, so log lines and flag values read exactly like the original's.
/// <see cref="Format(long)"/> ports <c>Duration.String</c> (time/time.go); parsing lives in GoDuration.Parse.cs.
/// </summary>
internal static partial class GoDuration
{
    /// <summary>Formats like Go, e.g. <c>15.001234567s</c>, <c>1m0.5s</c>, <c>2h0m0s</c>, <c>250ms</c>, <c>1.5µs</c>, <c>0s</c>.
    /// Precision is .NET's 100 ns tick; values beyond Go's range saturate as Go's <c>time.Sub</c> does.</summary>
    public static string Format(TimeSpan value)
    {
        var ticks = value.Ticks;
        const long limit = long.MaxValue / TimeSpan.NanosecondsPerTick;
        var nanoseconds = ticks > limit ? long.MaxValue
            : ticks < -limit ? long.MinValue
            : ticks * TimeSpan.NanosecondsPerTick;
        return Format(nanoseconds);
    }

    /// <summary>Formats a count of nanoseconds (Go's <c>time.Duration</c> representation).</summary>
    public static string Format(long nanoseconds)
    {
        Span<char> buf = stackalloc char[32];
        var w = buf.Length;
        var negative = nanoseconds < 0;
        var u = negative ? (ulong)-(nanoseconds + 1) + 1 : (ulong)nanoseconds;

        if (u < 1_000_000_000UL)
        {
            // Below one second Go switches to smaller units: 1.2ms, 15µs, 7ns.
            int precision;
            buf[--w] = 's';
            if (u == 0)
            {
                return "0s";
            }

            if (u < 1_000UL)
            {
                precision = 0;
                buf[--w] = 'n';
            }
            else if (u < 1_000_000UL)
            {
                precision = 3;
                buf[--w] = 'µ';
            }
            else
            {
                precision = 6;
                buf[--w] = 'm';
            }

            (w, u) = FormatFraction(buf[..w], u, precision);
            w = FormatInteger(buf[..w], u);
        }
        else
        {
            buf[--w] = 's';
            (w, u) = FormatFraction(buf[..w], u, 9);
            w = FormatInteger(buf[..w], u % 60);
            u /= 60;
            if (u > 0)
            {
                buf[--w] = 'm';
                w = FormatInteger(buf[..w], u % 60);
                u /= 60;
                if (u > 0)
                {
                    buf[--w] = 'h';
                    w = FormatInteger(buf[..w], u);
                }
            }
        }

        if (negative)
        {
            buf[--w] = '-';
        }

        return new string(buf[w..]);
    }

    /// <summary>Writes the fraction v/10^precision (".12345", trailing zeros and a bare "." omitted) at the end of
    /// <paramref name="buf"/>; returns where it starts and the integer part.</summary>
    private static (int Start, ulong Value) FormatFraction(Span<char> buf, ulong v, int precision)
    {
        var w = buf.Length;
        var print = false;
        for (var i = 0; i < precision; i++)
        {
            var digit = v % 10;
            print = print || digit != 0;
            if (print)
            {
                buf[--w] = (char)('0' + digit);
            }

            v /= 10;
        }

        if (print)
        {
            buf[--w] = '.';
        }

        return (w, v);
    }

    private static int FormatInteger(Span<char> buf, ulong v)
    {
        var w = buf.Length;
        if (v == 0)
        {
            buf[--w] = '0';
            return w;
        }

        while (v > 0)
        {
            buf[--w] = (char)('0' + (v % 10));
            v /= 10;
        }

        return w;
    }
}
