using System.Buffers;
using System.Text;
using CsCheck;
using NsqLookup.Protocol;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>
/// Property-based tests of the pure reader (spec §2.3): any bytes, split into any segments, give the lines a flat
/// reference split gives; tokens match <c>strings.Split(strings.TrimSpace(line), " ")</c> on valid UTF-8.
/// </summary>
public sealed class CommandReaderFuzzTests
{
    private const int Max = 48;

    // Bytes rich in separators, CR/LF and UTF-8 fragments (U+0085 is C2 85, U+3000 is E3 80 80).
    private static readonly Gen<byte[]> Bytes = Gen.Frequency(
        (3, Gen.Byte),
        (3, Gen.OneOf(Gen.Const((byte)'\n'), Gen.Const((byte)' '), Gen.Const((byte)'\r'), Gen.Const((byte)'\t'))),
        (3, Gen.Byte[(byte)'a', (byte)'e']),
        (1, Gen.OneOf(Gen.Const((byte)0xC2), Gen.Const((byte)0x85), Gen.Const((byte)0xE3), Gen.Const((byte)0x80))))
        .Array[0, 200];

    [Fact]
    public void Lines_do_not_depend_on_segmentation()
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
    public void Tokenize_never_throws_and_stays_in_bounds()
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
    public void Tokenize_matches_trim_then_split_on_valid_utf8()
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
}
