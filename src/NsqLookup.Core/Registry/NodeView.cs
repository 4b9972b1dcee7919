namespace NsqLookup.Registry;

/// <summary>One <c>/nodes</c> row: <c>Topics[i]</c> and <c>Tombstones[i]</c> belong together. <paramref name="Version"/>,
/// when not zero, stands for the row's content: another view with the same version has the same peer, topics and
/// tombstones (versions are unique across peers), so a caller may cache what it encodes from one under it. Zero
/// for a row with a tombstone (whose flags also change with time).</summary>
internal sealed record NodeView(PeerInfo Peer, IReadOnlyList<string> Topics, IReadOnlyList<bool> Tombstones, long Version = 0);
