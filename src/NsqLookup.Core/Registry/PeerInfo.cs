namespace NsqLookup.Registry;

/// <summary>
/// What one identified TCP connection told us (nsqlookupd/registration_db.go <c>PeerInfo</c>).
/// One instance per connection, shared by every entry of that connection, so a PING refreshes them all.
/// Identity fields never change after IDENTIFY; the last-update time is owned by <see cref="RegistrationDB"/>.
/// </summary>
internal sealed class PeerInfo
{
    /// <summary>Built by the protocol from a decoded IDENTIFY (<c>Protocol.IdentifyBody.ToPeer</c>): the registry
    /// knows nothing of the wire form.</summary>
    public PeerInfo(
        string id,
        string broadcastAddress,
        string hostname,
        long tcpPort,
        long httpPort,
        string version,
        string topologyZone = "",
        string topologyRegion = "")
    {
        Id = id;
        BroadcastAddress = broadcastAddress;
        Hostname = hostname;
        TcpPort = tcpPort;
        HttpPort = httpPort;
        Version = version;
        TopologyZone = topologyZone;
        TopologyRegion = topologyRegion;
    }

    /// <summary>The remote <c>ip:port</c> as Go prints it; also reported as <c>remote_address</c>.</summary>
    public string Id { get; }

    public string RemoteAddress => Id;

    public string Hostname { get; }

    public string BroadcastAddress { get; }

    public long TcpPort { get; }

    public long HttpPort { get; }

    public string Version { get; }

    public string TopologyZone { get; }

    public string TopologyRegion { get; }

    /// <summary>Monotonic timestamp (TimeProvider.GetTimestamp) of the last IDENTIFY or PING; guarded by the DB lock.</summary>
    internal long LastUpdateTimestamp { get; set; }

    /// <summary>Wall-clock Unix nanoseconds of the same moment, only for <c>/debug</c>.</summary>
    internal long LastUpdateUnixNanos { get; set; }

    /// <summary>Whether <paramref name="node"/>, as HTTP <c>/topic/tombstone</c> names a producer, is this peer's
    /// <c>broadcast_address:http_port</c>; an IPv6 broadcast address also matches in bracketed form, which is what
    /// nsqadmin sends (docs/protocol.md, "Deliberate differences").</summary>
    public bool MatchesNode(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var port = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var host = BroadcastAddress;
        if (node.Length == host.Length + 1 + port.Length
            && node.StartsWith(host, StringComparison.Ordinal)
            && node[host.Length] == ':'
            && node.EndsWith(port, StringComparison.Ordinal))
        {
            return true;
        }

        return host.Contains(':', StringComparison.Ordinal)
            && node.Length == host.Length + 3 + port.Length
            && node[0] == '['
            && string.CompareOrdinal(node, 1, host, 0, host.Length) == 0
            && node[host.Length + 1] == ']'
            && node[host.Length + 2] == ':'
            && node.EndsWith(port, StringComparison.Ordinal);
    }
}
