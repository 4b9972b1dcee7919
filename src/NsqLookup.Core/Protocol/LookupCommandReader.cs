using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NsqLookup.Protocol;

/// <summary>What <see cref="LookupCommandReader.TryReadLine"/> found.</summary>
public enum LineStatus
{
    /// <summary>No LF yet and still under the limit: wait for more bytes; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A whole line was read and consumed.</summary>
    Complete,

    /// <summary>The line (LF included) exceeds the limit (deviation: safer, spec §8 item 2).</summary>
    TooLong,
}

/// <summary>
/// Pure parsing of the V1 command stream (nsqlookupd/lookup_protocol_v1.go <c>IOLoop</c>): lines up to LF, Go's
/// <c>strings.TrimSpace</c>, a split on every single ASCII space, and IDENTIFY's 4-byte size. Works on any
/// segmentation of the input; consumes nothing until a whole unit is buffered.
/// </summary>
public static class LookupCommandReader
{
    /// <summary>Bytes of IDENTIFY's body-size field.</summary>
    public const int BodySizeLength = 4;

    /// <summary>
    /// Reads one line. On <see cref="LineStatus.Complete"/>, <paramref name="line"/> holds the bytes before the LF
    /// and <paramref name="buffer"/> is advanced past the LF. <paramref name="maxLength"/> counts the LF.
    /// </summary>
    public static LineStatus TryReadLine(ref ReadOnlySequence<byte> buffer, int maxLength, out ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out line, (byte)'\n', advancePastDelimiter: true))
        {
            line = default;
            return buffer.Length >= maxLength ? LineStatus.TooLong : LineStatus.Incomplete;
        }

        if (line.Length + 1 > maxLength)
        {
            line = default;
            return LineStatus.TooLong;
        }

        buffer = buffer.Slice(reader.Position);
        return LineStatus.Complete;
    }

    /// <summary>
    /// Splits a line like the anchor's <c>strings.Split(strings.TrimSpace(line), " ")</c>: returns the total number
    /// of tokens (at least 1; a blank line is one empty token) and fills as many ranges into
    /// <paramref name="tokens"/> as fit. Ranges index into <paramref name="line"/>.
    /// </summary>
    public static int Tokenize(ReadOnlySpan<byte> line, Span<Range> tokens)
    {
        var (start, end) = TrimSpace(line);
        var count = 0;
        var tokenStart = start;
        for (var i = start; i <= end; i++)
        {
            if (i == end || line[i] == (byte)' ')
            {
                if (count < tokens.Length)
                {
                    tokens[count] = new Range(tokenStart, i);
                }

                count++;
                tokenStart = i + 1;
            }
        }

        return count;
    }

    /// <summary>Go's Unicode-aware <c>TrimSpace</c> as a [start, end) window; invalid UTF-8 is never whitespace.</summary>
    public static (int Start, int End) TrimSpace(ReadOnlySpan<byte> line)
    {
        var start = 0;
        while (start < line.Length)
        {
            if (Rune.DecodeFromUtf8(line[start..], out var rune, out var consumed) != OperationStatus.Done || !IsGoSpace(rune.Value))
            {
                break;
            }

            start += consumed;
        }

        var end = line.Length;
        while (end > start)
        {
            if (Rune.DecodeLastFromUtf8(line[start..end], out var rune, out var consumed) != OperationStatus.Done || !IsGoSpace(rune.Value))
            {
                break;
            }

            end -= consumed;
        }

        return (start, end);
    }

    /// <summary>Go's <c>unicode.IsSpace</c>: the Unicode White_Space property.</summary>
    public static bool IsGoSpace(int rune) => rune switch
    {
        >= 0x09 and <= 0x0D => true,
        0x20 or 0x85 or 0xA0 or 0x1680 => true,
        >= 0x2000 and <= 0x200A => true,
        0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>Reads IDENTIFY's big-endian signed body size; consumes it only when all 4 bytes are there.</summary>
    public static bool TryReadBodySize(ref ReadOnlySequence<byte> buffer, out int size)
    {
        if (buffer.Length < BodySizeLength)
        {
            size = 0;
            return false;
        }

        Span<byte> bytes = stackalloc byte[BodySizeLength];
        buffer.Slice(0, BodySizeLength).CopyTo(bytes);
        size = BinaryPrimitives.ReadInt32BigEndian(bytes);
        buffer = buffer.Slice(BodySizeLength);
        return true;
    }
}
