using System.Buffers;
using System.Globalization;
using System.Text;

namespace NsqLookup.Protocol;

/// <summary>
/// IDENTIFY's success payload (spec §2.6 step 7): exactly five keys in Go's sorted-map order, ports as numbers.
/// nsqd later calls <c>http://&lt;broadcast_address&gt;:&lt;http_port&gt;/channels</c> with these values.
/// </summary>
public static class IdentifyResponse
{
    public static byte[] Build(ServerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var output = new ArrayBufferWriter<byte>(128);
        output.Write("{\"broadcast_address\":"u8);
        GoJsonText.WriteString(output, identity.BroadcastAddress);
        output.Write(",\"hostname\":"u8);
        GoJsonText.WriteString(output, identity.Hostname);
        output.Write(",\"http_port\":"u8);
        WriteNumber(output, identity.HttpPort);
        output.Write(",\"tcp_port\":"u8);
        WriteNumber(output, identity.TcpPort);
        output.Write(",\"version\":\""u8);
        output.Write(Encoding.ASCII.GetBytes(ServerIdentity.Version));
        output.Write("\"}"u8);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteNumber(ArrayBufferWriter<byte> output, int value)
    {
        var span = output.GetSpan(11);
        value.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
        output.Advance(written);
    }
}
