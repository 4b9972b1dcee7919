using System.Collections.Immutable;

namespace NsqLookup.Registry;

/// <summary>
/// Every key filed under one topic name: the topic key, if it exists, and the channel keys. Lives while either
/// exists (channel keys can outlive their topic key, spec §2.8). Guarded by the DB lock, except
/// <see cref="ChannelNames"/>, an immutable sorted set that readers take and enumerate after the lock is gone.
/// </summary>
internal sealed class TopicNode(string name)
{
    public string Name { get; } = name;

    public KeyNode? TopicKey { get; set; }

    public Dictionary<string, KeyNode> Channels { get; } = new(StringComparer.Ordinal);

    public ImmutableSortedSet<string> ChannelNames { get; set; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public bool IsEmpty => TopicKey is null && Channels.Count == 0;
}
