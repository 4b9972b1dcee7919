using System.Text;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>Go encoding/json semantics of IDENTIFY's body (docs/protocol.md, "Commands (client → server)"; T22–T29,
/// T131).</summary>
public sealed class IdentifyDecoderTests
{
    private static IdentifyBody? Decode(string json) => IdentifyDecoder.Decode(Encoding.UTF8.GetBytes(json), out _);

    private static IdentifyBody? Decode(byte[] json) => IdentifyDecoder.Decode(json, out _);

    [Fact]
    public void FullObject_FillsEveryField()
    {
        var body = Decode("""
            {"broadcast_address":"b","hostname":"h","tcp_port":4150,"http_port":4151,"version":"1.3.0",
             "topology_zone":"z","topology_region":"r","remote_address":"spoof:1"}
            """)!;
        body.Should().Be(new IdentifyBody
        {
            BroadcastAddress = "b",
            Hostname = "h",
            TcpPort = 4150,
            HttpPort = 4151,
            Version = "1.3.0",
            TopologyZone = "z",
            TopologyRegion = "r",
        });
        body.HasRequiredFields.Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"tcp_port":"4150"}""")]
    [InlineData("""{"tcp_port":4150.5}""")]
    [InlineData("""{"tcp_port":4150.0}""")]
    [InlineData("""{"tcp_port":4e3}""")]
    [InlineData("""{"tcp_port":4150E0}""")]
    [InlineData("""{"tcp_port":9223372036854775808}""")]
    [InlineData("""{"tcp_port":true}""")]
    [InlineData("""{"tcp_port":[1]}""")]
    [InlineData("""{"hostname":5}""")]
    [InlineData("""{"version":{}}""")]
    [InlineData("""{"remote_address":1}""")]
    public void WrongTypes_AreDecodeErrors(string json)
    {
        IdentifyDecoder.Decode(Encoding.UTF8.GetBytes(json), out var error).Should().BeNull();
        error.Should().NotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("""{"tcp_port":-5}""", -5L)]
    [InlineData("""{"tcp_port":70000}""", 70000L)]
    [InlineData("""{"tcp_port":9223372036854775807}""", long.MaxValue)]
    [InlineData("""{"tcp_port":-9223372036854775808}""", long.MinValue)]
    [InlineData("""{"tcp_port":-0}""", 0L)]
    public void Integers_AreInt64WithoutRangeCheck(string json, long expected) =>
        Decode(json)!.TcpPort.Should().Be(expected);

    [Theory]
    [InlineData("hello")]
    [InlineData("[1,2]")]
    [InlineData("\"str\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{} xyz")]
    [InlineData("{}{}")]
    [InlineData("{} null")]
    [InlineData("/*c*/{}")]
    [InlineData("\uFEFF{}")]
    public void NotASingleObject_IsDecodeError(string json) => Decode(json).Should().BeNull();

    [Fact]
    public void TopLevelNull_IsAllEmpty()
    {
        var body = Decode(" null ")!;
        body.Should().Be(new IdentifyBody());
        body.HasRequiredFields.Should().BeFalse();
    }

    [Fact]
    public void TrailingWhitespace_IsFine() =>
        Decode("{\"version\":\"v\"} \t\r\n ")!.Version.Should().Be("v");

    [Fact]
    public void UnknownKeys_AreIgnored_IncludingNested() =>
        Decode("""{"extra":{"x":[1,{"y":null}],"tcp_port":"nested does not count"},"tcp_port":1}""")!.TcpPort.Should().Be(1);

    [Theory]
    [InlineData("Broadcast_Address")]
    [InlineData("BROADCAST_ADDRESS")]
    [InlineData("broadcast_addreſſ")]
    [InlineData("BrOaDcAsT_aDdReSs")]
    public void KeyMatching_IsCaseInsensitiveLikeGo(string key) =>
        Decode($$"""{"{{key}}":"CASE.example"}""")!.BroadcastAddress.Should().Be("CASE.example");

    [Fact]
    public void KeyMatching_FoldsDotlessAndDottedI() =>
        Decode("""{"versıon":"a","topology_regİon":"r"}""")!.Should().Be(new IdentifyBody { Version = "a", TopologyRegion = "r" });

    [Fact]
    public void KeyMatching_DoesNotFoldOtherLookalikes() =>
        Decode("""{"broadcast_addresſ ":"x","hostnamé":"y"}""")!.Should().Be(new IdentifyBody());

    [Fact]
    public void EscapedKeys_AreUnescapedBeforeMatching() =>
        Decode("""{"tcp\u005fport":7}""")!.TcpPort.Should().Be(7);

    [Fact]
    public void NullFieldValue_LeavesFieldEmpty_AndDoesNotEraseEarlierValue()
    {
        Decode("""{"hostname":null,"tcp_port":null}""")!.Should().Be(new IdentifyBody());
        Decode("""{"hostname":"a","hostname":null}""")!.Hostname.Should().Be("a");
    }

    [Fact]
    public void DuplicateKeys_LastWins() =>
        Decode("""{"hostname":"a","Hostname":"b","tcp_port":1,"tcp_port":2}""")!.Should().Be(new IdentifyBody { Hostname = "b", TcpPort = 2 });

    [Fact]
    public void T131_InvalidUtf8InString_BecomesOneReplacementPerByte()
    {
        byte[] json = [.. "{\"hostname\":\"h"u8, 0xFE, 0xFF, .. "\"}"u8];
        Decode(json)!.Hostname.Should().Be("h\uFFFD\uFFFD");
    }

    [Fact]
    public void TruncatedUtf8Sequence_IsReplacedPerByteLikeGo()
    {
        // .NET's decoder would produce one U+FFFD for E2 82; Go's DecodeRune loop produces two.
        byte[] json = [.. "{\"hostname\":\""u8, 0xE2, 0x82, .. "x\"}"u8];
        Decode(json)!.Hostname.Should().Be("\uFFFD\uFFFDx");
    }

    [Fact]
    public void InvalidUtf8OutsideStrings_IsDecodeError()
    {
        byte[] json = [.. "{\"hostname\":\"h\""u8, 0xFF, .. "}"u8];
        Decode(json).Should().BeNull();
    }

    [Fact]
    public void Escapes_AreDecodedLikeGo()
    {
        Decode("""{"hostname":"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}""")!.Hostname.Should().Be("a\"\\/\b\f\n\r\t\u00e9\U0001F600");
        Decode("""{"hostname":"\ud800x\udc00"}""")!.Hostname.Should().Be("\uFFFDx\uFFFD");
    }

    [Fact]
    public void RawControlCharacterInString_IsDecodeError() =>
        Decode("{\"hostname\":\"a\u0001\"}").Should().BeNull();

    [Fact]
    public void DeepUnknownNesting_IsAccepted() =>
        Decode("{\"x\":" + new string('[', 500) + new string(']', 500) + ",\"tcp_port\":3}")!.TcpPort.Should().Be(3);
}
