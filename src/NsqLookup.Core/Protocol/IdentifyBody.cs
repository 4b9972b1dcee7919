using NsqLookup.Registry;

namespace NsqLookup.Protocol;

/// <summary>
/// The decoded IDENTIFY JSON body sent by nsqd (nsqd/lookup.go), a wire type of the protocol. Empty string / zero
/// mean "absent", exactly as Go's zero values do.
/// </summary>
internal sealed record IdentifyBody
{
    public string BroadcastAddress { get; init; } = "";

    public string Hostname { get; init; } = "";

    public long TcpPort { get; init; }

    public long HttpPort { get; init; }

    public string Version { get; init; } = "";

    public string TopologyZone { get; init; } = "";

    public string TopologyRegion { get; init; } = "";

    /// <summary>The Go original's required-field check (protocol_v1.go): broadcast address, both ports, version.</summary>
    public bool HasRequiredFields =>
        BroadcastAddress.Length != 0 && TcpPort != 0 && HttpPort != 0 && Version.Length != 0;

    /// <summary>What the registry keeps of this body for the connection <paramref name="id"/>; <c>remote_address</c>
    /// is not taken from the body: the registry reports the connection's own address.</summary>
    public PeerInfo ToPeer(string id) =>
        new(id, BroadcastAddress, Hostname, TcpPort, HttpPort, Version, TopologyZone, TopologyRegion);
}
