using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NsqLookup.Persistence;

/// <summary>
/// One record on disk (docs/persistence.md): <c>u32 length | u32 crc32c(length, payload) | payload</c>, little
/// endian, where the payload is <c>u8 kind</c> then the kind's fields: strings as <c>u16 length + UTF-8</c>,
/// the tombstone time as <c>i64</c> Unix milliseconds. The checksum covers the length too, so a flipped length
/// is caught rather than followed.
/// </summary>
internal static class AdminRecordCodec
{
    public const int HeaderSize = 8;

    /// <summary>Largest payload: three strings at the u16 limit plus kind and time.</summary>
    public const int MaxPayload = 1 + (3 * (2 + ushort.MaxValue)) + 8;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>False when a string is too long for the format (more than 65,535 UTF-8 bytes).</summary>
    public static bool CanEncode(AdminAction action) => Refusal(action) is null;

    /// <summary>Why <paramref name="action"/> cannot be stored (the HTTP 400 message), or null when it can: a name
    /// over 65,535 UTF-8 bytes (a tombstone's node can be: an IDENTIFY <c>broadcast_address</c> of invalid UTF-8
    /// triples in size as U+FFFD), or one that is not valid Unicode.</summary>
    public static string? Refusal(AdminAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Refusal("TOPIC", action.Topic) ?? Refusal("CHANNEL", action.Channel) ?? Refusal("NODE", action.Node);
    }

    private static string? Refusal(string field, string value)
    {
        int count;
        try
        {
            count = Utf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return $"INVALID_ARG_{field}: not valid Unicode, which --data-path cannot keep";
        }

        return count <= ushort.MaxValue
            ? null
            : $"INVALID_ARG_{field}: {count} bytes in UTF-8, over the {ushort.MaxValue} that --data-path can keep";
    }

    public static void Encode(AdminAction action, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(output);
        var (withChannel, withNode) = action.Kind switch
        {
            AdminActionKind.CreateChannel or AdminActionKind.DeleteChannel => (true, false),
            AdminActionKind.Tombstone => (false, true),
            _ => (false, false),
        };
        var length = 1 + 2 + Utf8.GetByteCount(action.Topic)
            + (withChannel ? 2 + Utf8.GetByteCount(action.Channel) : 0)
            + (withNode ? 2 + Utf8.GetByteCount(action.Node) + 8 : 0);
        var record = output.GetSpan(HeaderSize + length)[..(HeaderSize + length)];
        var payload = record[HeaderSize..];
        payload[0] = (byte)action.Kind;
        var rest = WriteString(payload[1..], action.Topic);
        if (withChannel)
        {
            rest = WriteString(rest, action.Channel);
        }

        if (withNode)
        {
            rest = WriteString(rest, action.Node);
            BinaryPrimitives.WriteInt64LittleEndian(rest, action.AtUnixMs);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Compute(record[..4], payload));
        output.Advance(record.Length);
    }

    /// <summary>Decodes the record at the start of <paramref name="data"/>; <paramref name="size"/> is its length on
    /// disk when <see cref="RecordStatus.Ok"/>.</summary>
    public static RecordStatus TryDecode(ReadOnlySpan<byte> data, out AdminAction? action, out int size)
    {
        action = null;
        size = 0;
        if (data.Length < HeaderSize)
        {
            return RecordStatus.Incomplete;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length is 0 or > MaxPayload)
        {
            return RecordStatus.Corrupt;
        }

        if (data.Length - HeaderSize < length)
        {
            return RecordStatus.Incomplete;
        }

        var payload = data.Slice(HeaderSize, (int)length);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) != Crc32C.Compute(data[..4], payload))
        {
            return RecordStatus.Corrupt;
        }

        if (!TryDecodePayload(payload, out action))
        {
            return RecordStatus.Corrupt;
        }

        size = HeaderSize + (int)length;
        return RecordStatus.Ok;
    }

    private static bool TryDecodePayload(ReadOnlySpan<byte> payload, out AdminAction? action)
    {
        action = null;
        var kind = (AdminActionKind)payload[0];
        var rest = payload[1..];
        if (!TryReadString(ref rest, out var topic))
        {
            return false;
        }

        string channel = "", node = "";
        long at = 0;
        switch (kind)
        {
            case AdminActionKind.CreateTopic or AdminActionKind.DeleteTopic or AdminActionKind.PruneTopic:
                break;
            case AdminActionKind.CreateChannel or AdminActionKind.DeleteChannel:
                if (!TryReadString(ref rest, out channel))
                {
                    return false;
                }

                break;
            case AdminActionKind.Tombstone:
                if (!TryReadString(ref rest, out node) || rest.Length < 8)
                {
                    return false;
                }

                at = BinaryPrimitives.ReadInt64LittleEndian(rest);
                rest = rest[8..];
                break;
            default:
                return false;
        }

        if (!rest.IsEmpty)
        {
            return false;
        }

        action = new AdminAction(kind, topic, channel, node, at);
        return true;
    }

    private static Span<byte> WriteString(Span<byte> output, string value)
    {
        var count = Utf8.GetBytes(value, output[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(output, checked((ushort)count));
        return output[(2 + count)..];
    }

    private static bool TryReadString(ref ReadOnlySpan<byte> data, out string value)
    {
        value = "";
        if (data.Length < 2)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (data.Length - 2 < count)
        {
            return false;
        }

        try
        {
            value = Utf8.GetString(data.Slice(2, count));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        data = data[(2 + count)..];
        return true;
    }
}
