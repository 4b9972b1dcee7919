namespace NsqLookup.Registry;

/// <summary>
/// A departed peer between <see cref="RegistrationDB.DetachPeer(PeerIdentity)"/> (gone from every answer) and
/// <see cref="RegistrationDB.ReleasePeer"/> (its entries removed).
/// </summary>
internal sealed class PeerDeparture
{
    internal PeerDeparture(PeerState state, bool inClientKey)
    {
        State = state;
        InClientKey = inClientKey;
    }

    /// <summary>Whether the detach removed a <c>client::</c> entry (the first registration a release reports).</summary>
    public bool InClientKey { get; }

    /// <summary>Whether the peer holds no entry any more (read under no lock: a hint once a release returned).</summary>
    public bool IsReleased => State.Released;

    internal PeerState State { get; }
}
