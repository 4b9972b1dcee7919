namespace NsqLookup.Protocol;

/// <summary>
/// What this lookupd tells nsqd in the IDENTIFY response. The ports are the ones actually bound (so <c>:0</c>
/// reports the OS-chosen port); the host fills them in after binding, before accepting anyone.
/// </summary>
public sealed class ServerIdentity
{
    public const string Version = "1.3.0";

    public required string BroadcastAddress { get; init; }

    /// <summary>The OS hostname, resolved once at startup (spec §8 item 10).</summary>
    public required string Hostname { get; init; }

    public int TcpPort { get; set; }

    public int HttpPort { get; set; }
}
