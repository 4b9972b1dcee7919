using System.Buffers;

namespace NsqLookup.Protocol;

/// <summary>
/// IDENTIFY's success payload (docs/protocol.md, "Commands (client → server)"): exactly five keys in Go's sorted-map
/// order, ports as numbers. nsqd later calls <c>http://&lt;broadcast_address&gt;:&lt;http_port&gt;/channels</c> with
/// these values.
/// </summary>
internal static class IdentifyResponse
{
    public static byte[] Build(ServerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var output = new ArrayBufferWriter<byte>(128);
        var json = new GoJsonWriter(output);
        json.WriteStartObject();
        json.WriteString("broadcast_address", identity.BroadcastAddress);
        json.WriteString("hostname", identity.Hostname);
        json.WriteNumber("http_port", identity.HttpPort);
        json.WriteNumber("tcp_port", identity.TcpPort);
        json.WriteString("version", ServerIdentity.Version);
        json.WriteEndObject();
        return output.WrittenSpan.ToArray();
    }
}
