using System.Buffers;
using System.Runtime.CompilerServices;
using NsqLookup.Registry;

namespace NsqLookup.Http;

/// <summary>
/// The producer object of <c>/lookup</c> and <c>/nodes</c> (the Go original's <c>PeerInfo</c> struct fields, in struct
/// order; docs/protocol.md, "Producer, node and debug objects"), encoded once per peer record: a record never changes
/// after IDENTIFY, and one is shared by every entry of its connection, so its bytes are copied into every answer
/// instead of re-encoded. Kept beside the record (dies with it, so with its connection): a few hundred bytes per
/// connection, outside the answer budgets.
/// </summary>
internal sealed class ProducerJson
{
    private readonly ConditionalWeakTable<PeerInfo, byte[]> _objects = [];

    /// <summary>The whole object, braces included (a <c>/lookup</c> producer).</summary>
    public ReadOnlyMemory<byte> Object(PeerInfo peer) =>
        _objects.TryGetValue(peer, out var bytes) ? bytes : _objects.GetValue(peer, static p => Encode(p));

    /// <summary>The object's members without braces (a <c>/nodes</c> row adds its own after them).</summary>
    public ReadOnlySpan<byte> Fields(PeerInfo peer) => Object(peer).Span[1..^1];

    private static byte[] Encode(PeerInfo peer)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var json = new GoJsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("remote_address", peer.RemoteAddress);
        json.WriteString("hostname", peer.Hostname);
        json.WriteString("broadcast_address", peer.BroadcastAddress);
        json.WriteNumber("tcp_port", peer.TcpPort);
        json.WriteNumber("http_port", peer.HttpPort);
        json.WriteString("version", peer.Version);
        json.WriteString("topology_zone", peer.TopologyZone);
        json.WriteString("topology_region", peer.TopologyRegion);
        json.WriteEndObject();
        return buffer.WrittenSpan.ToArray();
    }
}
