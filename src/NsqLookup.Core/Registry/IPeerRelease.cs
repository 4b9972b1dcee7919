namespace NsqLookup.Registry;

/// <summary>
/// How a connection's registrations end, and whether the process is exiting: owned by whoever owns the process
/// lifecycle (the daemon's release worker), not by the registry. The protocol only asks.
/// </summary>
internal interface IPeerRelease
{
    /// <summary>Whether the server has begun to exit: a connection that ends now was closed by the server, not by
    /// its client.</summary>
    bool IsExiting { get; }

    /// <summary>Disconnect cleanup: the peer is gone from every answer when this returns (an O(1) detach on the
    /// caller's thread); the task completes with the registrations it was removed from once they are released.</summary>
    Task<IReadOnlyList<Registration>> RemovePeerAsync(string peerId);
}
