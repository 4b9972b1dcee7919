using System.Buffers;

namespace NsqLookup.Core.Tests;

/// <summary>No-server tests: the writer's bytes equal what Go 1.19's encoding/json produces (docs/protocol.md,
/// "Response shapes").</summary>
public sealed class GoJsonWriterTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("<a&b>", "\"\\u003ca\\u0026b\\u003e\"")]
    [InlineData("q\"b\\s/", "\"q\\\"b\\\\s/\"")]
    [InlineData("\n\r\t", "\"\\n\\r\\t\"")]
    [InlineData("\b\f\u0001\u001f", "\"\\u0008\\u000c\\u0001\\u001f\"")]
    [InlineData("\u007f'`+=#", "\"\u007f'`+=#\"")]
    [InlineData("\u2028\u2029", "\"\\u2028\\u2029\"")]
    public void Strings_AreEscapedLikeGo(string value, string expected) =>
        Write(w => w.WriteString(value)).Should().Equal(System.Text.Encoding.UTF8.GetBytes(expected));

    [Fact]
    public void UnpairedSurrogate_IsEscapedReplacementCharacter()
    {
        // built at run time: attribute metadata cannot hold a lone surrogate
        var high = new string('\ud800', 1);
        var low = new string('\udc00', 1);
        Write(w => w.WriteString(high + "x" + low)).Should().Equal("\"\\ufffdx\\ufffd\""u8.ToArray());
    }

    [Fact]
    public void NonAscii_IsRawUtf8()
    {
        Write(w => w.WriteString("é\uFFFD😀")).Should().Equal(
            [(byte)'"', 0xC3, 0xA9, 0xEF, 0xBF, 0xBD, 0xF0, 0x9F, 0x98, 0x80, (byte)'"']);
    }

    [Fact]
    public void Structure_HasNoWhitespace_AndCommasInTheRightPlaces()
    {
        var bytes = Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("a");
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteNumber("n", -6795364578871345152);
            w.WritePropertyName("l");
            w.WriteStartArray();
            w.WriteBoolean(true);
            w.WriteBoolean(false);
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteString("s");
            w.WriteEndArray();
            w.WriteEndObject();
        });

        System.Text.Encoding.UTF8.GetString(bytes).Should().Be("""{"a":[],"n":-6795364578871345152,"l":[true,false,{},"s"]}""");
    }

    private static byte[] Write(Action<GoJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new GoJsonWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }
}
