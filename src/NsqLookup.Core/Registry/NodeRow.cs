namespace NsqLookup.Registry;

/// <summary>
/// One <c>/nodes</c> row: <c>Topics[i]</c> and <c>Tombstones[i]</c> belong together. Immutable. A row that
/// <see cref="IsKept"/> is the registry's own copy of the peer's row (<see cref="PeerState.Row"/>): the registry hands
/// out that very instance until the row changes, so the instance is its version, and a caller may attach what it
/// encodes from it to the instance (the HTTP side does). A row with a tombstone is built per query.
/// </summary>
internal sealed class NodeRow
{
    private NodeRow(PeerInfo peer, string[] topics, bool[] tombstones, bool kept)
    {
        Peer = peer;
        Topics = topics;
        Tombstones = tombstones;
        IsKept = kept;
    }

    public PeerInfo Peer { get; }

    /// <summary>The topics the peer has a topic entry in, in its registration order.</summary>
    public IReadOnlyList<string> Topics { get; }

    public IReadOnlyList<bool> Tombstones { get; }

    public bool IsKept { get; }

    internal static NodeRow Kept(PeerInfo peer, TopicNode[] topics)
    {
        var names = new string[topics.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = topics[i].Name;
        }

        return new NodeRow(peer, names, new bool[names.Length], kept: true);
    }

    internal NodeRow WithTombstones(bool[] tombstones) => new(Peer, (string[])Topics, tombstones, kept: false);
}
