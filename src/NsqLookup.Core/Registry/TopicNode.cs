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

    /// <summary>Bumped by every change to what <c>/lookup</c> answers for this topic, except a producer's inactivity
    /// and a detach, which a cached answer checks for itself (<see cref="LookupStamp"/>).</summary>
    public int LookupVersion { get; set; }
}
