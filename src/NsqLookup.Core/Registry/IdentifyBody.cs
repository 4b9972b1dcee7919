namespace NsqLookup.Registry;

/// <summary>
/// The decoded IDENTIFY JSON body sent by nsqd (nsqd/lookup.go). Empty string / zero mean "absent",
/// exactly as Go's zero values do.
/// </summary>
public sealed record IdentifyBody
{
    public string BroadcastAddress { get; init; } = "";

    public string Hostname { get; init; } = "";

    public long TcpPort { get; init; }

    public long HttpPort { get; init; }

    public string Version { get; init; } = "";

    public string TopologyZone { get; init; } = "";

    public string TopologyRegion { get; init; } = "";

    /// <summary>The anchor's required-field check (protocol_v1.go): broadcast address, both ports, version.</summary>
    public bool HasRequiredFields =>
        BroadcastAddress.Length != 0 && TcpPort != 0 && HttpPort != 0 && Version.Length != 0;
}
