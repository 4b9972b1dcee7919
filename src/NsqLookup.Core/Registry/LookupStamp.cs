namespace NsqLookup.Registry;

/// <summary>
/// The version stamp of a <c>/lookup</c> answer (<see cref="LookupResult.Stamp"/>): the topic's version, the peers
/// it lists and until when the clock alone cannot change it (the first moment a listed producer could turn inactive
/// or a hidden tombstone expire). Opaque to callers, who hand it back to ask whether the answer is still current;
/// read under the DB lock.
/// </summary>
internal sealed class LookupStamp
{
    private readonly PeerState[] _listed;

    internal LookupStamp(TopicNode node, int version, PeerState[] listed, IReadOnlyList<PeerInfo> producers, long validUntil)
    {
        Node = node;
        Version = version;
        _listed = listed;
        Producers = producers;
        ValidUntil = validUntil;
    }

    internal TopicNode Node { get; }

    internal int Version { get; }

    internal long ValidUntil { get; }

    internal IReadOnlyList<PeerInfo> Producers { get; }

    /// <summary>Still the answer at <paramref name="now"/>: same version, before the clock could change it, and no
    /// listed peer detached since (a detach touches no topic, so it is checked here).</summary>
    internal bool IsCurrent(long now)
    {
        if (Version != Node.LookupVersion || now >= ValidUntil)
        {
            return false;
        }

        foreach (var state in _listed)
        {
            if (state.Detached)
            {
                return false;
            }
        }

        return true;
    }
}
