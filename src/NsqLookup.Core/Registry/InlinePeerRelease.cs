namespace NsqLookup.Registry;

/// <summary>Releases a departed peer's entries on the caller's thread, and never exits: for a protocol run with no
/// daemon around it (tools, replays). The daemon hands the release to its worker instead.</summary>
internal sealed class InlinePeerRelease(RegistrationDB db) : IPeerRelease
{
    public bool IsExiting => false;

    public Task<IReadOnlyList<Registration>> RemovePeerAsync(string peerId) =>
        Task.FromResult(db.DetachPeer(peerId) is { } departure ? db.ReleasePeer(departure) : (IReadOnlyList<Registration>)[]);
}
