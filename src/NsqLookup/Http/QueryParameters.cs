using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace NsqLookup.Http;

/// <summary>
/// The query string as Go's <c>url.ParseQuery</c> reads it (internal/http_api/req_params.go): <c>&amp;</c>
/// separates pairs, <c>+</c> is a space, <c>%XX</c> escapes, a key without <c>=</c> has value <c>""</c>, names
/// are case-sensitive and the first value of a repeated name wins. A malformed escape or any <c>;</c> is an error.
/// </summary>
internal sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> _pairs;

    private QueryParameters(List<KeyValuePair<string, string>> pairs) => _pairs = pairs;

    public static bool TryParse(string rawQuery, [NotNullWhen(true)] out QueryParameters? parameters)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        var pairs = new List<KeyValuePair<string, string>>();
        var ok = true;
        var rest = rawQuery.AsSpan();
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];

            // Go keeps parsing after an error, but the first error fails the whole request.
            if (pair.Contains(';'))
            {
                ok = false;
                continue;
            }

            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var rawKey = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? [] : pair[(eq + 1)..];
            if (TryUnescape(rawKey, out var key) && TryUnescape(rawValue, out var value))
            {
                pairs.Add(new(key, value));
            }
            else
            {
                ok = false;
            }
        }

        parameters = ok ? new QueryParameters(pairs) : null;
        return ok;
    }

    /// <summary>The first value of <paramref name="name"/>; false when the name is absent.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out string? value)
    {
        foreach (var (key, v) in _pairs)
        {
            if (key == name)
            {
                value = v;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Go's <c>QueryUnescape</c> (or <c>PathUnescape</c> with <paramref name="plusIsSpace"/> off):
    /// <c>+</c> → space, <c>%XX</c> → byte; the bytes are read as UTF-8.</summary>
    public static bool TryUnescape(ReadOnlySpan<char> s, [NotNullWhen(true)] out string? value, bool plusIsSpace = true)
    {
        if (s.IndexOfAny('%', '+') < 0)
        {
            value = s.ToString();
            return true;
        }

        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(s.Length)];
        var w = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    value = null;
                    return false;
                }

                bytes[w++] = (byte)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2]));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes[w++] = (byte)' ';
            }
            else if (c < 0x80)
            {
                bytes[w++] = (byte)c;
            }
            else
            {
                // Only a real pair is taken together: a lone high surrogate must not swallow a following '%'.
                var n = char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
                w += Encoding.UTF8.GetBytes(s.Slice(i, n), bytes.AsSpan(w));
                i += n - 1;
            }
        }

        value = Encoding.UTF8.GetString(bytes, 0, w);
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
