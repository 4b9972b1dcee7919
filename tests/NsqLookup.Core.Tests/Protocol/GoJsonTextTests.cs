using System.Buffers;
using System.Text;
using NsqLookup.Protocol;

namespace NsqLookup.Core.Tests.Protocol;

public sealed class GoJsonTextTests
{
    private static byte[] Write(string value)
    {
        var output = new ArrayBufferWriter<byte>();
        GoJsonText.WriteString(output, value);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void HtmlCharactersAndLineSeparators_AreEscaped_NonAsciiIsRaw()
    {
        // T130's hostname: <a&b>é + U+2028.
        Write("<a&b>\u00e9\u2028").Should().Equal(Encoding.UTF8.GetBytes("\"\\u003ca\\u0026b\\u003e\u00e9\\u2028\""));
        Write("\u2029").Should().Equal(Encoding.UTF8.GetBytes("\"\\u2029\""));
    }

    [Fact]
    public void ControlCharacters_UseGoEscapes()
    {
        Write("\"\\\b\f\n\r\t\u0001\u001f\u007f").Should().Equal(
            Encoding.UTF8.GetBytes("\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\""));
    }

    [Fact]
    public void LoneSurrogate_IsWrittenAsEscapedReplacement() =>
        Write("a\ud800b").Should().Equal(Encoding.UTF8.GetBytes("\"a\\ufffdb\""));

    [Fact]
    public void SurrogatePair_IsRawUtf8() =>
        Write("\U0001F600").Should().Equal([(byte)'"', 0xF0, 0x9F, 0x98, 0x80, (byte)'"']);

    [Fact]
    public void IdentifyResponse_EscapesServerValues()
    {
        var identity = new ServerIdentity { BroadcastAddress = "a<b", Hostname = "h\u00e9", TcpPort = 1, HttpPort = 2 };
        Encoding.UTF8.GetString(IdentifyResponse.Build(identity)).Should().Be(
            "{\"broadcast_address\":\"a\\u003cb\",\"hostname\":\"h\u00e9\",\"http_port\":2,\"tcp_port\":1,\"version\":\"1.3.0\"}");
    }
}
