using System.Buffers;
using System.Text;
using NsqLookup.Protocol;

namespace NsqLookup.Core.Tests.Protocol;

public sealed class LookupCommandReaderTests
{
    private const int Max = 4096;

    /// <summary>Reads every complete line of a sequence and tokenizes it; the rest stays unconsumed.</summary>
    private static (List<string[]> Commands, long Left) ReadAll(ReadOnlySequence<byte> buffer, int max = Max)
    {
        var commands = new List<string[]>();
        while (LookupCommandReader.TryReadLine(ref buffer, max, out var line) == LineStatus.Complete)
        {
            commands.Add(Tokens(line.ToArray()));
        }

        return (commands, buffer.Length);
    }

    /// <summary>Feeds chunks one at a time as a pipe would: unconsumed bytes are kept for the next attempt.</summary>
    private static List<string[]> ReadIncrementally(IEnumerable<byte[]> chunks)
    {
        var commands = new List<string[]>();
        var pending = new List<byte[]>();
        foreach (var chunk in chunks)
        {
            pending.Add(chunk);
            var buffer = SequenceSplitter.Create(pending);
            var total = buffer.Length;
            var (found, left) = ReadAll(buffer);
            commands.AddRange(found);
            var consumed = (int)(total - left);
            var rest = buffer.Slice(consumed);
            pending = rest.IsEmpty ? [] : [rest.ToArray()];
        }

        return commands;
    }

    private static string[] Tokens(byte[] line)
    {
        Span<Range> ranges = stackalloc Range[16];
        var count = LookupCommandReader.Tokenize(line, ranges);
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Encoding.Latin1.GetString(line.AsSpan()[ranges[i]]);
        }

        return result;
    }

    public static TheoryData<string, string[][]> Inputs => new()
    {
        { "PING\n", [["PING"]] },
        { "PING\r\n", [["PING"]] },
        { "   PING  \n", [["PING"]] },
        { "REGISTER t c\nPING\n", [["REGISTER", "t", "c"], ["PING"]] },
        { "REGISTER  T\n", [["REGISTER", "", "T"]] },
        { "REGISTER t  c\n", [["REGISTER", "t", "", "c"]] },
        { "REGISTER\tt\n", [["REGISTER\tt"]] },
        { "\n", [[""]] },
        { "\r\n\n", [[""], [""]] },
        { "UNREGISTER wt c1\nUNREGISTER wt\nPING", [["UNREGISTER", "wt", "c1"], ["UNREGISTER", "wt"]] },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void EverySplit_GivesTheSameCommands(string input, string[][] expected)
    {
        var data = Encoding.UTF8.GetBytes(input);
        foreach (var chunks in SequenceSplitter.AllSplits(data))
        {
            ReadAll(SequenceSplitter.Create(chunks)).Commands.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
            ReadIncrementally(chunks).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public void IncompleteLine_ConsumesNothing()
    {
        var buffer = new ReadOnlySequence<byte>("REGISTER t"u8.ToArray());
        var before = buffer;
        LookupCommandReader.TryReadLine(ref buffer, Max, out _).Should().Be(LineStatus.Incomplete);
        buffer.Should().Be(before);
    }

    [Fact]
    public void CompleteLine_ExcludesTheLf_AndConsumesIt()
    {
        var buffer = new ReadOnlySequence<byte>("PING\nREG"u8.ToArray());
        LookupCommandReader.TryReadLine(ref buffer, Max, out var line).Should().Be(LineStatus.Complete);
        line.ToArray().Should().Equal("PING"u8.ToArray());
        buffer.ToArray().Should().Equal("REG"u8.ToArray());
    }

    [Theory]
    [InlineData("\u00A0PING\u00A0")]
    [InlineData("\u0085PING\u0085")]
    [InlineData("\u2000\u3000PING\u2028\u2029\u202F\u205F")]
    [InlineData("\u1680\u000B\u000CPING\t\r")]
    public void Trim_RemovesGoUnicodeSpaces(string line) =>
        Tokens(Encoding.UTF8.GetBytes(line)).Should().Equal("PING");

    [Fact]
    public void Trim_KeepsNonSpacesAndInnerUnicodeSpaces()
    {
        // U+200B (zero width space) and U+FEFF are not White_Space in Go; U+00A0 inside is not a separator.
        Tokens(Encoding.UTF8.GetBytes("\u200BPING")).Should().Equal("\u00E2\u0080\u008BPING");
        Tokens(Encoding.UTF8.GetBytes("A\u00A0B")).Should().ContainSingle();
    }

    [Fact]
    public void Trim_StopsAtInvalidUtf8()
    {
        // A lone 0x85 / 0xA0 is not U+0085 / U+00A0: Go decodes it as RuneError, which is not a space.
        byte[] line = [0x85, (byte)'P', 0xA0];
        LookupCommandReader.TrimSpace(line).Should().Be((0, 3));
        byte[] encoded = [0xC2, 0x85, (byte)'P', 0xC2, 0xA0];
        LookupCommandReader.TrimSpace(encoded).Should().Be((2, 3));
    }

    [Fact]
    public void RawInvalidUtf8_IsPreservedInTokens()
    {
        byte[] data = [.. "REGISTER "u8, 0xFF, 0xFE, (byte)'\n'];
        var ranges = new Range[3];
        foreach (var chunks in SequenceSplitter.AllSplits(data))
        {
            var buffer = SequenceSplitter.Create(chunks);
            LookupCommandReader.TryReadLine(ref buffer, Max, out var line).Should().Be(LineStatus.Complete);
            var bytes = line.ToArray();
            LookupCommandReader.Tokenize(bytes, ranges).Should().Be(2);
            bytes.AsSpan()[ranges[1]].ToArray().Should().Equal(0xFF, 0xFE);
        }
    }

    [Fact]
    public void Tokenize_CountsTokensBeyondTheSpan()
    {
        Span<Range> ranges = stackalloc Range[2];
        LookupCommandReader.Tokenize("A B C D"u8, ranges).Should().Be(4);
        ranges[1].Should().Be(new Range(2, 3));
    }

    [Fact]
    public void OverlongLine_IsRejected_WithOrWithoutLf()
    {
        var unterminated = new ReadOnlySequence<byte>(new byte[10]);
        LookupCommandReader.TryReadLine(ref unterminated, 10, out _).Should().Be(LineStatus.TooLong);

        var terminated = new ReadOnlySequence<byte>([.. new byte[10], (byte)'\n']);
        LookupCommandReader.TryReadLine(ref terminated, 10, out _).Should().Be(LineStatus.TooLong);

        var fits = new ReadOnlySequence<byte>([.. "123456789"u8, (byte)'\n']);
        LookupCommandReader.TryReadLine(ref fits, 10, out _).Should().Be(LineStatus.Complete);

        var shortPartial = new ReadOnlySequence<byte>(new byte[9]);
        LookupCommandReader.TryReadLine(ref shortPartial, 10, out _).Should().Be(LineStatus.Incomplete);
    }

    [Fact]
    public void BodySize_IsSignedBigEndian_AtEverySplit()
    {
        byte[] data = [0xFF, 0xFF, 0xFF, 0xFE, (byte)'x'];
        foreach (var chunks in SequenceSplitter.AllSplits(data))
        {
            var buffer = SequenceSplitter.Create(chunks);
            LookupCommandReader.TryReadBodySize(ref buffer, out var size).Should().BeTrue();
            size.Should().Be(-2);
            buffer.Length.Should().Be(1);
        }

        var partial = new ReadOnlySequence<byte>(new byte[] { 0, 0, 1 });
        LookupCommandReader.TryReadBodySize(ref partial, out _).Should().BeFalse();
        partial.Length.Should().Be(3);
    }

    [Fact]
    public void IdentifyBodyFollowingItsLine_IsLeftInTheBuffer()
    {
        byte[] data = [.. "IDENTIFY\n"u8, 0, 0, 0, 2, (byte)'{', (byte)'}', .. "PING\n"u8];
        foreach (var chunks in SequenceSplitter.AllSplits(data))
        {
            var buffer = SequenceSplitter.Create(chunks);
            LookupCommandReader.TryReadLine(ref buffer, Max, out _).Should().Be(LineStatus.Complete);
            LookupCommandReader.TryReadBodySize(ref buffer, out var size).Should().BeTrue();
            buffer.Slice(0, size).ToArray().Should().Equal((byte)'{', (byte)'}');
            buffer = buffer.Slice(size);
            LookupCommandReader.TryReadLine(ref buffer, Max, out var ping).Should().Be(LineStatus.Complete);
            ping.ToArray().Should().Equal("PING"u8.ToArray());
        }
    }
}
