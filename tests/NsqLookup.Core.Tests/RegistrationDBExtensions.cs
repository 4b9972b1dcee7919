using NsqLookup.Registry;

namespace NsqLookup.Core.Tests;

/// <summary>A disconnect run to completion on the test's thread: the same two production steps the registry's
/// daemon's release worker runs (<see cref="Tcp.PeerReleaseWorker"/>).</summary>
internal static class RegistrationDBExtensions
{
    public static IReadOnlyList<Registration> RemovePeer(this RegistrationDB db, string peerId) =>
        db.DetachPeer(peerId) is { } departure ? db.ReleasePeer(departure) : [];
}
