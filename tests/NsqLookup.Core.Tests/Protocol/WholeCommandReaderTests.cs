using System.Buffers;
using NsqLookup.Protocol;
using static NsqLookup.Core.Tests.Protocol.ProtocolHarness;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>
/// <see cref="LookupCommandReader.TryRead"/>: whole commands, IDENTIFY's size and body included, parsed the same at
/// every split, with the Go original's error texts and the safer size bounds (docs/protocol.md,
/// "Commands (client → server)", "Errors" and "Deliberate differences" items 1–2).
/// </summary>
public sealed class WholeCommandReaderTests
{
    private static readonly LookupProtocolLimits Limits = new() { MaxCommandLineLength = 64, MaxIdentifyBodySize = 16 };

    public static TheoryData<byte[], string[]> Streams => new()
    {
        { Ascii("PING\n"), ["PING:1::", "END"] },
        { [.. Ascii("IDENTIFY\n"), 0, 0, 0, 2, .. "{}"u8, .. "REGISTER t c\nPING"u8], ["IDENTIFY:7B7D", "REGISTER:3:74:63", "END:partial"] },
        { [.. Ascii(" IDENTIFY x\r\n"), 0, 0, 0, 0, .. "UNREGISTER  t\n"u8], ["IDENTIFY:", "UNREGISTER:3::74", "END"] },
        { [.. Ascii("NOPE a\n")], ["UNKNOWN:4E4F5045", "END"] },
        { [.. Ascii("IDENTIFY\n"), 0xFF, 0xFF, 0xFF, 0xFE, .. "PING\n"u8], ["ERR:Identify:E_BAD_BODY IDENTIFY invalid body size -2"] },
        { [.. Ascii("IDENTIFY\n"), 0, 0, 0, 17, .. new byte[17]], ["ERR:Identify:E_BAD_BODY IDENTIFY body too big 17 > 16"] },
        { [.. Ascii("IDENTIFY\n"), 0, 0, 0, 16, .. new byte[16]], ["IDENTIFY:" + new string('0', 32), "END"] },
        { Ascii("IDENTIFY\n"), ["ERR:Identify:E_BAD_BODY IDENTIFY failed to read body size - EOF"] },
        { [.. Ascii("IDENTIFY\n"), 0, 0], ["ERR:Identify:E_BAD_BODY IDENTIFY failed to read body size - unexpected EOF"] },
        { [.. Ascii("IDENTIFY\n"), 0, 0, 0, 3], ["ERR:Identify:E_BAD_BODY IDENTIFY failed to read body - EOF"] },
        { [.. Ascii("IDENTIFY\n"), 0, 0, 0, 3, .. "{}"u8], ["ERR:Identify:E_BAD_BODY IDENTIFY failed to read body - unexpected EOF"] },
        { Ascii(new string('x', 64) + "\n"), ["ERR:None:E_INVALID command line too long"] },
        { Ascii("PING\n" + new string('x', 70)), ["PING:1::", "ERR:None:E_INVALID command line too long"] },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void EverySplit_GivesTheSameCommandsAndErrors(byte[] data, string[] expected)
    {
        foreach (var chunks in SequenceSplitter.AllSplits(data))
        {
            WholeCommandReader.Read(chunks, Limits).Should().Equal(expected);
        }
    }

    [Fact]
    public void SecondIdentify_IsReturnedWithoutReadingItsBody()
    {
        byte[] data = [.. Ascii("IDENTIFY\n"), 0xFF, 0xFF, 0xFF, 0xFF];
        foreach (var chunks in SequenceSplitter.AllSplits(data))
        {
            WholeCommandReader.Read(chunks, Limits, identified: true).Should().Equal("IDENTIFY:", "END:partial");
        }
    }

    [Fact]
    public void IdentifyHeader_IsReleasedOnceOnlyTheBodyIsMissing()
    {
        var reader = new LookupCommandReader(Limits);
        var buffer = new ReadOnlySequence<byte>([.. Ascii("IDENTIFY\n"), 0, 0, 0, 10, .. "{\"a\""u8]);
        reader.TryRead(ref buffer, false, false, out _, out _).Should().Be(ReadStatus.Incomplete);
        buffer.ToArray().Should().Equal("{\"a\""u8.ToArray(), "the line and the size are consumed, the body bytes so far are kept");

        var rest = new ReadOnlySequence<byte>([.. "{\"a\":1}   "u8, .. "PING\n"u8]);
        reader.TryRead(ref rest, false, false, out var command, out _).Should().Be(ReadStatus.Command);
        command.Verb.Should().Be(LookupVerb.Identify);
        command.Body.ToArray().Should().Equal("{\"a\":1}   "u8.ToArray());
        reader.TryRead(ref rest, false, false, out command, out _).Should().Be(ReadStatus.Command);
        command.Verb.Should().Be(LookupVerb.Ping);
    }

    [Fact]
    public void IdentifyLine_IsKeptUntilItsSizeIsThere()
    {
        var reader = new LookupCommandReader(Limits);
        byte[] data = [.. Ascii("IDENTIFY\n"), 0, 0];
        var buffer = new ReadOnlySequence<byte>(data);
        reader.TryRead(ref buffer, false, false, out _, out _).Should().Be(ReadStatus.Incomplete);
        buffer.Length.Should().Be(data.Length, "nothing is consumed before the size is whole");
    }

    [Fact]
    public void AnnouncedSize_IsNeverHeldBeforeItsBytesArrive()
    {
        var limits = new LookupProtocolLimits();
        var body = new byte[limits.MaxIdentifyBodySize];
        byte[] data = [.. Ascii("IDENTIFY\n"), .. SizePrefix(body.Length), .. body];
        var chunks = data.Chunk(1000).ToArray();
        WholeCommandReader.Read(chunks, limits, false, out var peak).Should().Equal("IDENTIFY:" + Convert.ToHexString(body), "END");
        peak.Should().BeLessThan(limits.MaxIdentifyBodySize, "only the body bytes received so far are held");
    }
}
