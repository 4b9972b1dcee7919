using System.Collections.Immutable;

namespace NsqLookup.Registry;

/// <summary>
/// Every key filed under one topic name: the topic key, if it exists, and the channel keys. Lives while either
/// exists (channel keys can outlive their topic key; docs/protocol.md, "Registration model"). Guarded by the registry lock,
/// except <see cref="ChannelNames"/>, an immutable sorted set that readers take and enumerate after the lock is gone.
/// Created and emptied only by <see cref="KeyIndex"/>.
/// </summary>
internal sealed class TopicNode(string name)
{
    private readonly Dictionary<string, KeyNode> _channels = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public KeyNode? TopicKey { get; private set; }

    public IReadOnlyDictionary<string, KeyNode> Channels => _channels;

    public ImmutableSortedSet<string> ChannelNames { get; private set; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public bool IsEmpty => TopicKey is null && _channels.Count == 0;

    public KeyNode? Channel(string channel) => _channels.TryGetValue(channel, out var key) ? key : null;

    /// <summary>Bumped by every change to what <c>/lookup</c> answers for this topic, except a producer's inactivity
    /// and a detach, which a cached answer checks for itself (<see cref="LookupStamp"/>).</summary>
    public int LookupVersion { get; private set; }

    public void LookupChanged() => LookupVersion++;

    public void SetTopicKey(KeyNode? key)
    {
        TopicKey = key;
        LookupChanged();
    }

    public void AddChannel(string channel, KeyNode key)
    {
        _channels.Add(channel, key);
        ChannelNames = ChannelNames.Add(channel);
        LookupChanged();
    }

    public void RemoveChannel(string channel)
    {
        _channels.Remove(channel);
        ChannelNames = ChannelNames.Remove(channel);
        LookupChanged();
    }
}
