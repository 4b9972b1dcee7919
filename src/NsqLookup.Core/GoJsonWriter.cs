using System.Buffers;
using System.Text;

namespace NsqLookup;

/// <summary>
/// Writes JSON exactly as Go's encoding/json (1.19, the Go original's toolchain) does: no whitespace, plain integers,
/// and Go's string escaping — <c>&lt; &gt; &amp;</c> as <c>\u003c \u003e \u0026</c>, U+2028/U+2029 escaped,
/// <c>\n \r \t</c>, other control characters as <c>\u00XX</c> (so <c>\b</c> is <c>\u0008</c>), lowercase hex,
/// every other character as raw UTF-8, and an unpaired surrogate as <c>\ufffd</c>.
/// Utf8JsonWriter is not used because its encoders cannot be told to leave non-ASCII raw while escaping
/// <c>&lt;</c> with lowercase hex, and it has no raw property-name API.
/// </summary>
public sealed class GoJsonWriter(IBufferWriter<byte> output)
{
    private const string Hex = "0123456789abcdef";
    private readonly IBufferWriter<byte> _output = output;
    private bool _needsComma;

    public void WriteStartObject() => Open((byte)'{');

    public void WriteEndObject() => Close((byte)'}');

    public void WriteStartArray() => Open((byte)'[');

    public void WriteEndArray() => Close((byte)']');

    public void WritePropertyName(string name)
    {
        Comma();
        WriteQuoted(name);
        WriteByte((byte)':');
        _needsComma = false;
    }

    public void WriteString(string value)
    {
        Comma();
        WriteQuoted(value);
        _needsComma = true;
    }

    public void WriteNumber(long value)
    {
        Comma();
        var span = _output.GetSpan(20);
        value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _output.Advance(written);
        _needsComma = true;
    }

    public void WriteBoolean(bool value)
    {
        Comma();
        Write(value ? "true"u8 : "false"u8);
        _needsComma = true;
    }

    /// <summary>Writes already-encoded JSON (a value, or a run of <c>"name":value</c> members) as the next item.</summary>
    public void WriteRaw(ReadOnlySpan<byte> json)
    {
        Comma();
        Write(json);
        _needsComma = true;
    }

    public void WriteString(string name, string value)
    {
        WritePropertyName(name);
        WriteString(value);
    }

    public void WriteNumber(string name, long value)
    {
        WritePropertyName(name);
        WriteNumber(value);
    }

    public void WriteBoolean(string name, bool value)
    {
        WritePropertyName(name);
        WriteBoolean(value);
    }

    /// <summary>Go's <c>encodeState.string</c> with <c>escapeHTML</c> on.</summary>
    public static int Escape(ReadOnlySpan<char> value, Span<byte> destination)
    {
        var w = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x80)
            {
                if (c >= 0x20 && c is not ('"' or '\\' or '<' or '>' or '&'))
                {
                    destination[w++] = (byte)c;
                    continue;
                }

                destination[w++] = (byte)'\\';
                switch (c)
                {
                    case '"' or '\\':
                        destination[w++] = (byte)c;
                        break;
                    case '\n':
                        destination[w++] = (byte)'n';
                        break;
                    case '\r':
                        destination[w++] = (byte)'r';
                        break;
                    case '\t':
                        destination[w++] = (byte)'t';
                        break;
                    default:
                        w += WriteUnicodeEscape(c, destination[w..]);
                        break;
                }

                continue;
            }

            if (c is '\u2028' or '\u2029')
            {
                destination[w++] = (byte)'\\';
                w += WriteUnicodeEscape(c, destination[w..]);
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                w += new Rune(c, value[i + 1]).EncodeToUtf8(destination[w..]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                // Go writes \ufffd for bytes that are not valid UTF-8; an unpaired surrogate is our equivalent.
                destination[w++] = (byte)'\\';
                w += WriteUnicodeEscape('\ufffd', destination[w..]);
                continue;
            }

            w += new Rune(c).EncodeToUtf8(destination[w..]);
        }

        return w;
    }

    /// <summary>Worst case: every UTF-16 unit becomes a six-byte <c>\u00XX</c>.</summary>
    public static int MaxEscapedLength(int chars) => chars * 6;

    private static int WriteUnicodeEscape(char c, Span<byte> destination)
    {
        destination[0] = (byte)'u';
        destination[1] = (byte)Hex[c >> 12];
        destination[2] = (byte)Hex[(c >> 8) & 0xF];
        destination[3] = (byte)Hex[(c >> 4) & 0xF];
        destination[4] = (byte)Hex[c & 0xF];
        return 5;
    }

    private void WriteQuoted(string value)
    {
        var span = _output.GetSpan(MaxEscapedLength(value.Length) + 2);
        span[0] = (byte)'"';
        var w = 1 + Escape(value, span[1..]);
        span[w++] = (byte)'"';
        _output.Advance(w);
    }

    private void Open(byte b)
    {
        Comma();
        WriteByte(b);
        _needsComma = false;
    }

    private void Close(byte b)
    {
        WriteByte(b);
        _needsComma = true;
    }

    private void Comma()
    {
        if (_needsComma)
        {
            WriteByte((byte)',');
        }
    }

    private void WriteByte(byte b)
    {
        _output.GetSpan(1)[0] = b;
        _output.Advance(1);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
    }
}
