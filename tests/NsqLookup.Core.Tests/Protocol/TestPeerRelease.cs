using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>The protocol's view of the process lifecycle, without the daemon: releases on the caller's thread (as
/// the protocol does when no release worker is given) and exits when a test says so. The daemon's own release worker is tested in
/// NsqLookup.Tests.</summary>
internal sealed class TestPeerRelease(RegistrationDB db) : IPeerRelease
{
    private volatile bool _exiting;

    public bool IsExiting => _exiting;

    /// <summary>Whether the registrations a connection ending now held should still be listed, as the TCP server
    /// asks for its UNREGISTER lines; releasing inline always lists them.</summary>
    public bool ExitListsRegistrations { get; private set; }

    public void BeginExit(bool listRegistrations)
    {
        ExitListsRegistrations = listRegistrations;
        _exiting = true;
    }

    public Task<IReadOnlyList<Registration>> RemovePeerAsync(string peerId) =>
        Task.FromResult(db.DetachPeer(peerId) is { } departure ? db.ReleasePeer(departure) : (IReadOnlyList<Registration>)[]);
}
