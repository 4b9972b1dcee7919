using NsqLookup.Registry;

namespace NsqLookup.Core.Tests;

/// <summary>A disconnect run to completion on the test's thread: the same two production steps the daemon's release
/// worker runs.</summary>
internal static class RegistrationDBExtensions
{
    public static IReadOnlyList<Registration> RemovePeer(this RegistrationDB db, string peerId) =>
        db.DetachPeer(peerId) is { } departure ? db.ReleasePeer(departure) : [];
}
