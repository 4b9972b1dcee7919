using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace NsqLookup.Protocol;

/// <summary>
/// Decodes IDENTIFY's JSON body into <see cref="IdentifyBody"/> with Go <c>encoding/json</c> semantics
/// (docs/protocol.md, "Commands (client → server)"): one value, object or <c>null</c>; unknown keys skipped; keys
/// matched case-insensitively; <c>null</c> leaves a field empty; strict types with 64-bit integers; invalid UTF-8
/// becomes U+FFFD per byte; last duplicate wins. Built on <see cref="Utf8JsonReader"/>, so no reflection.
/// </summary>
internal static class IdentifyDecoder
{
    /// <summary>Go's <c>maxNestingDepth</c> in encoding/json's scanner.</summary>
    private const int MaxDepth = 10000;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>Returns the decoded body, or null with <paramref name="error"/> set (logged as the parent error).</summary>
    public static IdentifyBody? Decode(ReadOnlySpan<byte> json, out string? error)
    {
        // Go replaces each invalid byte inside strings; System.Text.Json rejects them outright.
        byte[]? sanitized = Utf8.IsValid(json) ? null : GoJsonText.SanitizeUtf8(json);
        var reader = new Utf8JsonReader(sanitized ?? json, Options);
        try
        {
            return DecodeValue(ref reader, out error);
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    private static IdentifyBody? DecodeValue(ref Utf8JsonReader reader, out string? error)
    {
        error = null;
        if (!reader.Read())
        {
            error = "unexpected end of JSON input";
            return null;
        }

        IdentifyBody? body;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                body = new IdentifyBody();
                break;
            case JsonTokenType.StartObject:
                body = DecodeObject(ref reader, ref error);
                break;
            default:
                reader.Skip();
                error = $"json: cannot unmarshal {GoKind(reader.TokenType)} into Go value of type nsqlookupd.PeerInfo";
                body = null;
                break;
        }

        // Anything but whitespace after the value is a syntax error; the reader throws on it.
        if (reader.Read())
        {
            error = "invalid character after top-level value";
            return null;
        }

        return error is null ? body : null;
    }

    private static IdentifyBody? DecodeObject(ref Utf8JsonReader reader, ref string? error)
    {
        var body = new IdentifyBody();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = MatchField(GoJsonText.Unquote(reader));
            reader.Read();
            if (field is Field.None || reader.TokenType == JsonTokenType.Null)
            {
                reader.Skip();
                continue;
            }

            if (field is Field.TcpPort or Field.HttpPort)
            {
                if (!TryGetGoInt64(ref reader, out var number))
                {
                    // Like Go, keep scanning so a later syntax error still wins; the result is an error either way.
                    error ??= $"json: cannot unmarshal {GoKind(reader.TokenType)} into Go struct field of type int";
                    reader.Skip();
                    continue;
                }

                body = field == Field.TcpPort ? body with { TcpPort = number } : body with { HttpPort = number };
                continue;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                error ??= $"json: cannot unmarshal {GoKind(reader.TokenType)} into Go struct field of type string";
                reader.Skip();
                continue;
            }

            var text = GoJsonText.Unquote(reader);
            body = field switch
            {
                Field.BroadcastAddress => body with { BroadcastAddress = text },
                Field.Hostname => body with { Hostname = text },
                Field.Version => body with { Version = text },
                Field.TopologyZone => body with { TopologyZone = text },
                Field.TopologyRegion => body with { TopologyRegion = text },
                _ => body, // remote_address: type-checked, then overwritten with the real peer address
            };
        }

        return body;
    }

    /// <summary>Go decodes an <c>int</c> field with <c>strconv.ParseInt</c>: no fraction, no exponent, int64 range.</summary>
    private static bool TryGetGoInt64(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        return raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && reader.TryGetInt64(out value);
    }

    private static string GoKind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "bool",
        _ => token.ToString(),
    };

    private enum Field
    {
        None,
        BroadcastAddress,
        Hostname,
        TcpPort,
        HttpPort,
        Version,
        TopologyZone,
        TopologyRegion,
        RemoteAddress,
    }

    private static Field MatchField(string key)
    {
        // Go tries the exact name first, then a case-insensitive fold; the names are distinct, so one pass suffices.
        if (GoFoldEquals(key, "broadcast_address")) return Field.BroadcastAddress;
        if (GoFoldEquals(key, "hostname")) return Field.Hostname;
        if (GoFoldEquals(key, "tcp_port")) return Field.TcpPort;
        if (GoFoldEquals(key, "http_port")) return Field.HttpPort;
        if (GoFoldEquals(key, "version")) return Field.Version;
        if (GoFoldEquals(key, "topology_zone")) return Field.TopologyZone;
        if (GoFoldEquals(key, "topology_region")) return Field.TopologyRegion;
        if (GoFoldEquals(key, "remote_address")) return Field.RemoteAddress;
        return Field.None;
    }

    /// <summary>Go's <c>foldName</c> equality against an ASCII name: ASCII letters fold to upper case, other runes to
    /// <c>unicode.ToUpper(unicode.ToLower(r))</c>. Only four non-ASCII runes land on ASCII that way (.NET's casing
    /// tables leave these out on purpose), so they are listed; any other non-ASCII rune cannot match.</summary>
    private static bool GoFoldEquals(string key, string name)
    {
        if (key.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < key.Length; i++)
        {
            var folded = key[i] switch
            {
                '\u017F' => 'S', // ſ LATIN SMALL LETTER LONG S
                '\u212A' => 'K', // KELVIN SIGN
                '\u0130' or '\u0131' => 'I', // İ, ı
                var c when char.IsAscii(c) => char.ToUpperInvariant(c),
                _ => '\0',
            };
            if (folded != char.ToUpperInvariant(name[i]))
            {
                return false;
            }
        }

        return true;
    }
}
