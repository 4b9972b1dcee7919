using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NsqLookup.Protocol;

/// <summary>
/// Pure parsing of the V1 command stream (nsqlookupd/lookup_protocol_v1.go <c>IOLoop</c> and the body read of
/// <c>IDENTIFY</c>): lines up to LF, Go's <c>strings.TrimSpace</c>, a split on every single ASCII space, and
/// IDENTIFY's 4-byte size and body. Works on any segmentation of the input. One instance per connection: it holds
/// the line's scratch buffer and, between reads, how many IDENTIFY body bytes are still due.
/// </summary>
internal sealed class LookupCommandReader
{
    /// <summary>Bytes of IDENTIFY's body-size field.</summary>
    public const int BodySizeLength = 4;

    private const int NoBody = -1;

    private readonly LookupProtocolLimits _limits;
    private readonly byte[] _line;

    // The size of an IDENTIFY body whose line and size have been consumed but whose bytes are not all there yet.
    private int _pendingBody = NoBody;

    public LookupCommandReader(LookupProtocolLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _line = new byte[limits.MaxCommandLineLength];
    }

    /// <summary>
    /// Reads one whole command. On <see cref="ReadStatus.Command"/>, <paramref name="buffer"/> is advanced past it;
    /// on <see cref="ReadStatus.Incomplete"/> it is advanced past what may be released (an IDENTIFY's line and size
    /// once its body is all that is missing, so memory grows only as body bytes arrive: no announced size is
    /// allocated or asked for up front). <paramref name="isCompleted"/> says no more bytes will come: a partial line
    /// is then still <see cref="ReadStatus.Incomplete"/> (the caller drops it, T14), but a partial IDENTIFY size or
    /// body is an error. When <paramref name="identified"/>, an IDENTIFY line is returned without reading a body,
    /// as the Go original answers a second IDENTIFY before reading one.
    /// </summary>
    public ReadStatus TryRead(
        ref ReadOnlySequence<byte> buffer,
        bool isCompleted,
        bool identified,
        out LookupCommand command,
        out ProtocolError? error)
    {
        error = null;
        if (_pendingBody != NoBody)
        {
            return TryReadBody(ref buffer, isCompleted, default, out command, out error);
        }

        var start = buffer;
        var status = TryReadLine(ref buffer, _limits.MaxCommandLineLength, out var lineBytes);
        if (status != LineStatus.Complete)
        {
            command = default;
            error = status == LineStatus.TooLong ? ProtocolError.CommandLineTooLong : null;
            return status == LineStatus.TooLong ? ReadStatus.Error : ReadStatus.Incomplete;
        }

        lineBytes.CopyTo(_line);
        var line = _line.AsMemory(0, (int)lineBytes.Length);
        Span<Range> tokens = stackalloc Range[LookupCommand.KeptTokens];
        var count = Tokenize(line.Span, tokens);
        var verb = VerbOf(line.Span[tokens[0]]);
        command = new LookupCommand(verb, line, tokens, count, default);
        if (verb != LookupVerb.Identify || identified)
        {
            return ReadStatus.Command;
        }

        var afterLine = buffer.Length;
        if (!TryReadBodySize(ref buffer, out var size))
        {
            if (isCompleted)
            {
                error = ProtocolError.FailedToReadBodySize(ShortReadCause(afterLine));
                return ReadStatus.Error;
            }

            // The line stays unconsumed until its size is there too: at most the line cap plus three bytes.
            buffer = start;
            return ReadStatus.Incomplete;
        }

        // Unlike the original (docs/protocol.md, "Deliberate differences" item 1): validate before allocating or
        // waiting for any body byte.
        if (size < 0)
        {
            error = ProtocolError.InvalidBodySize(size);
            return ReadStatus.Error;
        }

        if (size > _limits.MaxIdentifyBodySize)
        {
            error = ProtocolError.BodyTooBig(size, _limits.MaxIdentifyBodySize);
            return ReadStatus.Error;
        }

        _pendingBody = size;
        return TryReadBody(ref buffer, isCompleted, command, out command, out error);
    }

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
    /// Splits a line like the Go original's <c>strings.Split(strings.TrimSpace(line), " ")</c>: returns the total
    /// number of tokens (at least 1; a blank line is one empty token) and fills as many ranges into
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

    private ReadStatus TryReadBody(
        ref ReadOnlySequence<byte> buffer,
        bool isCompleted,
        LookupCommand header,
        out LookupCommand command,
        out ProtocolError? error)
    {
        error = null;
        var size = _pendingBody;
        if (buffer.Length < size)
        {
            command = header;
            if (!isCompleted)
            {
                return ReadStatus.Incomplete;
            }

            _pendingBody = NoBody;
            command = Identify(header, default);
            error = ProtocolError.FailedToReadBody(ShortReadCause(buffer.Length));
            return ReadStatus.Error;
        }

        _pendingBody = NoBody;
        command = Identify(header, buffer.Slice(0, size));
        buffer = buffer.Slice(size);
        return ReadStatus.Command;
    }

    /// <summary>An IDENTIFY with its body; its line may be gone already (consumed before the body arrived).</summary>
    private static LookupCommand Identify(LookupCommand header, ReadOnlySequence<byte> body) =>
        header.Verb == LookupVerb.Identify ? header.WithBody(body) : new LookupCommand(LookupVerb.Identify, default, [], 0, body);

    private static LookupVerb VerbOf(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("PING"u8) ? LookupVerb.Ping
        : name.SequenceEqual("IDENTIFY"u8) ? LookupVerb.Identify
        : name.SequenceEqual("REGISTER"u8) ? LookupVerb.Register
        : name.SequenceEqual("UNREGISTER"u8) ? LookupVerb.Unregister
        : LookupVerb.Unknown;

    /// <summary>Go's <c>io.ReadFull</c> error: <c>EOF</c> when nothing was read, else <c>unexpected EOF</c>.</summary>
    private static string ShortReadCause(long received) => received == 0 ? "EOF" : "unexpected EOF";
}
