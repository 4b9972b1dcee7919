using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NsqLookup.Protocol;

/// <summary>
/// The corners of Go's encoding/json string handling that System.Text.Json does differently: invalid UTF-8 becomes
/// one U+FFFD per bad byte, lone surrogate escapes become U+FFFD, and output escaping follows Go's HTML-safe rules.
/// </summary>
internal static class GoJsonText
{

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

    private static char ParseHex4(ReadOnlySpan<byte> hex) =>
        (char)int.Parse(Encoding.ASCII.GetString(hex), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
