namespace NsqLookup.Registry;

/// <summary>
/// What a <c>/lookup</c> answer was built from: the topic's version, the peers it lists and until when the clock
/// alone cannot change it (the first moment a listed producer could turn inactive or a hidden tombstone expire).
/// Guarded by the DB lock.
/// </summary>
internal sealed class LookupStamp(TopicNode node, int version, PeerState[] listed, IReadOnlyList<PeerInfo> producers, long validUntil)
{
    public TopicNode Node { get; } = node;

    public int Version { get; } = version;

    public long ValidUntil { get; } = validUntil;

    public IReadOnlyList<PeerInfo> Producers { get; } = producers;

    public object? Answer { get; set; }

    public long Size { get; set; }

    /// <summary>Still the answer at <paramref name="now"/>: same version, before the clock could change it, and no
    /// listed peer detached since (a detach touches no topic, so it is checked here).</summary>
    public bool IsCurrent(long now)
    {
        if (Version != Node.LookupVersion || now >= ValidUntil)
        {
            return false;
        }

        foreach (var state in listed)
        {
            if (state.Detached)
            {
                return false;
            }
        }

        return true;
    }
}
