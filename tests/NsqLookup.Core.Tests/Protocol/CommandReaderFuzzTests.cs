using System.Buffers;
using System.Text;
using CsCheck;
using NsqLookup.Protocol;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>
/// Property-based tests of the pure reader (docs/protocol.md, "Commands (client → server)"): any bytes, split into any
/// segments, give the lines a flat reference split gives; whole command streams (IDENTIFY's size and body included)
/// give the commands and the error a flat reference parser gives; tokens match
/// <c>strings.Split(strings.TrimSpace(line), " ")</c> on valid UTF-8.
/// </summary>
public sealed class CommandReaderFuzzTests
{
    private const int Max = 48;

    private static readonly LookupProtocolLimits Limits = new() { MaxCommandLineLength = Max, MaxIdentifyBodySize = 32 };

    // Bytes rich in separators, CR/LF and UTF-8 fragments (U+0085 is C2 85, U+3000 is E3 80 80).
    private static readonly Gen<byte[]> Bytes = Gen.Frequency(
        (3, Gen.Byte),
        (3, Gen.OneOf(Gen.Const((byte)'\n'), Gen.Const((byte)' '), Gen.Const((byte)'\r'), Gen.Const((byte)'\t'))),
        (3, Gen.Byte[(byte)'a', (byte)'e']),
        (1, Gen.OneOf(Gen.Const((byte)0xC2), Gen.Const((byte)0x85), Gen.Const((byte)0xE3), Gen.Const((byte)0x80))))
        .Array[0, 200];

    // Command streams: IDENTIFY with sizes around the cap (negative, oversized, longer or shorter than its body),
    // the other verbs, unknown and over-long lines, and loose bytes.
    private static readonly Gen<byte[]> Stream = Gen.Frequency(
        (3, Gen.OneOf(Gen.Const("PING\n"u8.ToArray()), Gen.Const("REGISTER a b\n"u8.ToArray()), Gen.Const("UNREGISTER  a\r\n"u8.ToArray()))),
        (3, Gen.Select(Gen.Int[-2, 36], Gen.Byte.Array[0, 40], (size, body) =>
            (byte[])[.. "IDENTIFY\n"u8, .. ProtocolHarness.SizePrefix(size), .. body])),
        (1, Gen.Select(Gen.Int, Gen.Byte.Array[0, 3], (size, rest) => (byte[])[.. "IDENTIFY x\n"u8, .. ProtocolHarness.SizePrefix(size)[..rest.Length]])),
        (1, Gen.Int[40, 60].Select(n => Encoding.ASCII.GetBytes(new string('y', n) + "\n"))),
        (2, Bytes.Select(b => b.Length > 30 ? b[..30] : b)))
        .Array[0, 8].Select(parts => parts.SelectMany(p => p).ToArray());

    [Fact]
    public void Lines_DoNotDependOnSegmentation()
    {
        Gen.Select(Bytes, Gen.Int[1, 9].Array[1, 20]).Sample((data, cuts) =>
        {
            var expected = Reference(data);
            var chunks = new List<byte[]>();
            for (int at = 0, i = 0; at < data.Length; i++)
            {
                var n = Math.Min(cuts[i % cuts.Length], data.Length - at);
                chunks.Add(data[at..(at + n)]);
                at += n;
            }

            ReadAll(SequenceSplitter.Create(chunks)).Should().Equal(expected);
        }, iter: 3000, threads: 1, print: t => Convert.ToHexString(t.Item1));
    }

    [Fact]
    public void WholeCommands_DoNotDependOnSegmentation()
    {
        Gen.Select(Stream, Gen.Int[1, 9].Array[1, 20]).Sample((data, cuts) =>
        {
            var expected = ReferenceCommands(data);
            WholeCommandReader.Read([data], Limits).Should().Equal(expected);
            WholeCommandReader.Read(Split(data, cuts), Limits).Should().Equal(expected);
        }, iter: 3000, threads: 1, print: t => Convert.ToHexString(t.Item1));
    }

    [Fact]
    public void Tokenize_NeverThrowsAndStaysInBounds()
    {
        Bytes.Sample(line =>
        {
            Span<Range> tokens = stackalloc Range[3];
            var count = LookupCommandReader.Tokenize(line, tokens);
            count.Should().BeGreaterThan(0);
            for (var i = 0; i < Math.Min(count, 3); i++)
            {
                var (offset, length) = tokens[i].GetOffsetAndLength(line.Length);
                (offset + length).Should().BeLessThanOrEqualTo(line.Length);
            }
        }, iter: 3000, threads: 1, print: Convert.ToHexString);
    }

    [Fact]
    public void Tokenize_MatchesTrimThenSplitOnValidUtf8()
    {
        // .NET's string.Trim() trims the Unicode White_Space set, which is exactly Go's unicode.IsSpace.
        Gen.String[Gen.Char[" \t\r\v\f\u0085\u00a0\u2003\u3000aZ#.-_é€"], 0, 30].Sample(s =>
        {
            var line = Encoding.UTF8.GetBytes(s);
            var expected = s.Trim().Split(' ');
            var tokens = new Range[expected.Length + 1];
            LookupCommandReader.Tokenize(line, tokens).Should().Be(expected.Length);
            tokens.Take(expected.Length).Select(r => Encoding.UTF8.GetString(line[r])).Should().Equal(expected);
        }, iter: 3000, threads: 1);
    }

    /// <summary>Lines as the reader must report them, from a flat scan: "L:hex" per line, then "TOO_LONG" or "INCOMPLETE".</summary>
    private static List<string> Reference(byte[] data)
    {
        var result = new List<string>();
        var start = 0;
        while (true)
        {
            var lf = Array.IndexOf(data, (byte)'\n', start);
            if (lf < 0)
            {
                result.Add(data.Length - start >= Max ? "TOO_LONG" : "INCOMPLETE");
                return result;
            }

            if (lf - start + 1 > Max)
            {
                result.Add("TOO_LONG");
                return result;
            }

            result.Add("L:" + Convert.ToHexString(data, start, lf - start));
            start = lf + 1;
        }
    }

    private static List<string> ReadAll(ReadOnlySequence<byte> buffer)
    {
        var result = new List<string>();
        while (true)
        {
            var before = buffer.Length;
            switch (LookupCommandReader.TryReadLine(ref buffer, Max, out var line))
            {
                case LineStatus.Complete:
                    result.Add("L:" + Convert.ToHexString(line.ToArray()));
                    buffer.Length.Should().Be(before - line.Length - 1);
                    break;
                case LineStatus.TooLong:
                    result.Add("TOO_LONG");
                    return result;
                default:
                    buffer.Length.Should().Be(before, "nothing is consumed until a whole line is there");
                    result.Add("INCOMPLETE");
                    return result;
            }
        }
    }

    /// <summary>Whole commands as a flat, sequential parse of the whole input gives them, in
    /// <see cref="WholeCommandReader"/>'s notation.</summary>
    private static List<string> ReferenceCommands(byte[] data)
    {
        var result = new List<string>();
        var at = 0;
        while (true)
        {
            var lf = Array.IndexOf(data, (byte)'\n', at);
            if ((lf < 0 && data.Length - at >= Max) || (lf >= 0 && lf - at + 1 > Max))
            {
                result.Add(WholeCommandReader.Describe(LookupVerb.None, ProtocolError.CommandLineTooLong));
                return result;
            }

            if (lf < 0)
            {
                result.Add(at == data.Length ? "END" : "END:partial");
                return result;
            }

            var line = data[at..lf];
            at = lf + 1;
            var tokens = new Range[3];
            var count = LookupCommandReader.Tokenize(line, tokens);
            var name = Encoding.Latin1.GetString(line[tokens[0]]);
            string Arg(int i) => count > i ? Convert.ToHexString(line[tokens[i]]) : "";
            if (name != "IDENTIFY")
            {
                result.Add(name is "PING" or "REGISTER" or "UNREGISTER"
                    ? $"{name}:{count}:{Arg(1)}:{Arg(2)}"
                    : "UNKNOWN:" + Convert.ToHexString(line[tokens[0]]));
                continue;
            }

            ProtocolError? error = null;
            var left = data.Length - at;
            var size = left >= 4 ? System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at)) : 0;
            error = left < 4 ? ProtocolError.FailedToReadBodySize(left == 0 ? "EOF" : "unexpected EOF")
                : size < 0 ? ProtocolError.InvalidBodySize(size)
                : size > Limits.MaxIdentifyBodySize ? ProtocolError.BodyTooBig(size, Limits.MaxIdentifyBodySize)
                : left - 4 < size ? ProtocolError.FailedToReadBody(left == 4 ? "EOF" : "unexpected EOF")
                : null;
            if (error is not null)
            {
                result.Add(WholeCommandReader.Describe(LookupVerb.Identify, error));
                return result;
            }

            result.Add("IDENTIFY:" + Convert.ToHexString(data, at + 4, size));
            at += 4 + size;
        }
    }

    private static byte[][] Split(byte[] data, int[] cuts)
    {
        var chunks = new List<byte[]>();
        for (int at = 0, i = 0; at < data.Length; i++)
        {
            var n = Math.Min(cuts[i % cuts.Length], data.Length - at);
            chunks.Add(data[at..(at + n)]);
            at += n;
        }

        return [.. chunks];
    }
}
