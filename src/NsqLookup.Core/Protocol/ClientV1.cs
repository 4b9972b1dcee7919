using NsqLookup.Registry;

namespace NsqLookup.Protocol;

/// <summary>
/// Per-connection state (nsqlookupd/client_v1.go): who the peer is and, once identified, what it told us.
/// </summary>
internal sealed class ClientV1
{
    /// <param name="id">The remote endpoint as Go prints it (<c>127.0.0.1:5555</c>, <c>[::1]:5555</c>); the host formats it.</param>
    public ClientV1(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
    }

    public string Id { get; }

    /// <summary>Set by a successful IDENTIFY; null before.</summary>
    public PeerInfo? Peer { get; internal set; }

    public bool IsIdentified => Peer is not null;

    public override string ToString() => Id;
}
