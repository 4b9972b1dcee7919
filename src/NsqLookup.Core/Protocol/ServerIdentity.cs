namespace NsqLookup.Protocol;

/// <summary>
/// What this lookupd tells nsqd in the IDENTIFY response. Built once, after both listeners are bound, so the ports
/// are the ones actually bound (<c>:0</c> reports the OS-chosen port); the TCP accept loop starts only after that,
/// so no client can ever see a port that is not yet known. Public (unlike the rest of Protocol) because the
/// daemon's public <c>NsqLookupApp.Identity</c> hands it out.
/// </summary>
internal sealed class ServerIdentity
{
    public const string Version = "1.3.0";

    public required string BroadcastAddress { get; init; }

    /// <summary>The OS hostname, resolved once at startup
    /// (docs/protocol.md, "Deliberate differences" item 10).</summary>
    public required string Hostname { get; init; }

    public required int TcpPort { get; init; }

    public required int HttpPort { get; init; }
}
