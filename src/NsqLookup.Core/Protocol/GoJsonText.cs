using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NsqLookup.Protocol;

/// <summary>
/// The corners of Go's encoding/json string handling that System.Text.Json does differently: invalid UTF-8 becomes
/// one U+FFFD per bad byte, lone surrogate escapes become U+FFFD, and output escaping follows Go's HTML-safe rules.
/// </summary>
public static class GoJsonText
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Replaces every byte that does not start a valid UTF-8 sequence with U+FFFD, one per byte, as Go's
    /// <c>utf8.DecodeRune</c> loop does (.NET's decoder would merge a truncated sequence into one U+FFFD).</summary>
    public static byte[] SanitizeUtf8(ReadOnlySpan<byte> input)
    {
        var output = new ArrayBufferWriter<byte>(input.Length + 16);
        while (!input.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(input, out _, out var consumed) == OperationStatus.Done)
            {
                output.Write(input[..consumed]);
                input = input[consumed..];
            }
            else
            {
                output.Write("\uFFFD"u8);
                input = input[1..];
            }
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>The current string or property name of <paramref name="reader"/>, unescaped like Go's <c>unquote</c>.</summary>
    public static string Unquote(Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return Encoding.UTF8.GetString(raw);
        }

        var sb = new StringBuilder(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            var b = raw[i];
            if (b != (byte)'\\')
            {
                var next = raw[i..].IndexOf((byte)'\\');
                var run = next < 0 ? raw[i..] : raw.Slice(i, next);
                sb.Append(Encoding.UTF8.GetString(run));
                i += run.Length;
                continue;
            }

            var e = raw[i + 1];
            i += 2;
            switch (e)
            {
                case (byte)'b': sb.Append('\b'); break;
                case (byte)'f': sb.Append('\f'); break;
                case (byte)'n': sb.Append('\n'); break;
                case (byte)'r': sb.Append('\r'); break;
                case (byte)'t': sb.Append('\t'); break;
                case (byte)'u':
                    var unit = ParseHex4(raw.Slice(i, 4));
                    i += 4;
                    if (char.IsHighSurrogate(unit) && i + 6 <= raw.Length && raw[i] == (byte)'\\' && raw[i + 1] == (byte)'u'
                        && ParseHex4(raw.Slice(i + 2, 4)) is var low && char.IsLowSurrogate(low))
                    {
                        sb.Append(unit).Append(low);
                        i += 6;
                    }
                    else
                    {
                        // Go: a surrogate that does not form a pair decodes to U+FFFD (the next escape is kept).
                        sb.Append(char.IsSurrogate(unit) ? '\uFFFD' : unit);
                    }

                    break;
                default: sb.Append((char)e); break; // '"', '\\', '/'; the reader has validated the rest
            }
        }

        return sb.ToString();
    }

    /// <summary>Writes <paramref name="value"/> as a JSON string the way Go's encoding/json does: <c>&lt; &gt; &amp;</c>,
    /// U+2028 and U+2029 escaped, control characters escaped with lowercase hex, other non-ASCII raw UTF-8.</summary>
    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        output.Write("\""u8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': output.Write("\\\""u8); continue;
                case '\\': output.Write("\\\\"u8); continue;
                case '\b': output.Write("\\b"u8); continue;
                case '\f': output.Write("\\f"u8); continue;
                case '\n': output.Write("\\n"u8); continue;
                case '\r': output.Write("\\r"u8); continue;
                case '\t': output.Write("\\t"u8); continue;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    WriteUnicodeEscape(output, c);
                    continue;
                default:
                    break;
            }

            if (c < 0x80)
            {
                utf8[0] = (byte)c;
                output.Write(utf8[..1]);
            }
            else if (Rune.TryGetRuneAt(value, i, out var rune))
            {
                var n = rune.EncodeToUtf8(utf8);
                output.Write(utf8[..n]);
                i += rune.Utf16SequenceLength - 1;
            }
            else
            {
                // A lone surrogate: Go writes invalid UTF-8 as the escape \ufffd.
                output.Write("\\ufffd"u8);
            }
        }

        output.Write("\""u8);
    }

    private static void WriteUnicodeEscape(IBufferWriter<byte> output, char c)
    {
        Span<byte> escape = [(byte)'\\', (byte)'u', Hex[c >> 12], Hex[(c >> 8) & 0xF], Hex[(c >> 4) & 0xF], Hex[c & 0xF]];
        output.Write(escape);
    }

    private static char ParseHex4(ReadOnlySpan<byte> hex) =>
        (char)int.Parse(Encoding.ASCII.GetString(hex), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
