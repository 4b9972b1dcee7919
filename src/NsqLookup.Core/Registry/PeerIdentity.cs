namespace NsqLookup.Registry;

/// <summary>
/// Who registered an entry: a peer of one <see cref="RegistrationSource"/>. Every entry belongs to exactly one
/// identity, and a disconnect (<see cref="RegistrationDB.DetachPeer(PeerIdentity)"/>) removes exactly that
/// identity's entries, whichever feed it came from.
/// </summary>
internal readonly record struct PeerIdentity(RegistrationSource Source, string Id)
{
    /// <summary>A connection of this daemon, by its remote <c>ip:port</c> (<see cref="PeerInfo.Id"/>).</summary>
    public static PeerIdentity Connection(string id) => new(RegistrationSource.Tcp, id);

    public override string ToString() => $"{Source}:{Id}";
}
