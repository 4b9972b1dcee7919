using NsqLookup.Registry;

namespace NsqLookup.Protocol;

/// <summary>
/// Per-connection state (nsqlookupd/client_v1.go): who the peer is and, once identified, what it told us.
/// </summary>
internal sealed class ClientV1
{
    /// <param name="id">The remote endpoint as Go prints it (<c>127.0.0.1:5555</c>, <c>[::1]:5555</c>); the host formats it.</param>
    /// <param name="localAddress">Our end of the connection, formatted the same way (for Go's read-error wording).</param>
    public ClientV1(string id, string? localAddress = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        LocalAddress = localAddress ?? "";
    }

    public string Id { get; }

    public string LocalAddress { get; }

    /// <summary>What Go's read reports on a connection the server itself closed (its <c>Exit</c> closes every client).</summary>
    public string ClosedByServer => $"read tcp {LocalAddress}->{Id}: use of closed network connection";

    /// <summary>Set by a successful IDENTIFY; null before.</summary>
    public PeerInfo? Peer { get; internal set; }

    public bool IsIdentified => Peer is not null;

    public override string ToString() => Id;
}
