namespace NsqLookup.Registry;

/// <summary>
/// What one identified TCP connection told us (nsqlookupd/registration_db.go <c>PeerInfo</c>).
/// One instance per connection, shared by every entry of that connection, so a PING refreshes them all.
/// Identity fields never change after IDENTIFY; the last-update time is owned by <see cref="RegistrationDB"/>.
/// </summary>
public sealed class PeerInfo
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

    /// <summary>
    /// The producer object's members as Go encodes them (<c>"remote_address":…,"topology_region":…</c>, spec §4.5),
    /// without braces. Identity never changes after IDENTIFY, so they are encoded once and copied into every
    /// <c>/lookup</c> and <c>/nodes</c> answer (two threads may both build it the first time; same bytes).
    /// </summary>
    public ReadOnlySpan<byte> ProducerFieldsJson => _producerFields ??= EncodeProducerFields();

    private byte[]? _producerFields;

    /// <summary><see cref="ProducerFieldsJson"/> in braces: the whole producer object of a <c>/lookup</c> answer.</summary>
    public ReadOnlyMemory<byte> ProducerObjectJson => _producerObject ??= [(byte)'{', .. ProducerFieldsJson, (byte)'}'];

    private byte[]? _producerObject;

    private byte[] EncodeProducerFields()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        var json = new GoJsonWriter(buffer);
        json.WriteString("remote_address", RemoteAddress);
        json.WriteString("hostname", Hostname);
        json.WriteString("broadcast_address", BroadcastAddress);
        json.WriteNumber("tcp_port", TcpPort);
        json.WriteNumber("http_port", HttpPort);
        json.WriteString("version", Version);
        json.WriteString("topology_zone", TopologyZone);
        json.WriteString("topology_region", TopologyRegion);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Monotonic timestamp (TimeProvider.GetTimestamp) of the last IDENTIFY or PING; guarded by the DB lock.</summary>
    internal long LastUpdateTimestamp { get; set; }

    /// <summary>Wall-clock Unix nanoseconds of the same moment, only for <c>/debug</c>.</summary>
    internal long LastUpdateUnixNanos { get; set; }
}
