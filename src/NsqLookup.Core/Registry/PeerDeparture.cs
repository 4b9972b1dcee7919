namespace NsqLookup.Registry;

/// <summary>
/// A disconnected peer between <see cref="RegistrationDB.DetachPeer"/> (gone from every answer) and
/// <see cref="RegistrationDB.ReleasePeer"/> (its entries removed). <see cref="Released"/> completes with the
/// registrations it was removed from.
/// </summary>
internal sealed class PeerDeparture
{
    internal PeerDeparture(PeerState state, bool inClientKey)
    {
        State = state;
        InClientKey = inClientKey;
    }

    internal PeerState State { get; }

    /// <summary>Whether the detach removed a <c>client::</c> entry.</summary>
    internal bool InClientKey { get; }

    internal TaskCompletionSource<IReadOnlyList<Registration>> Released { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
