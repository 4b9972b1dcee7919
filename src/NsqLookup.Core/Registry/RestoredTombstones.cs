namespace NsqLookup.Registry;

/// <summary>
/// Tombstones brought back from <c>--data-path</c> (docs/persistence.md): topic → (producer <c>host:port</c> →
/// stamp). After a restart no nsqd is registered yet, so each waits for the producer it names to register the topic
/// again, until its lifetime ends; lapsed ones are forgotten as they are met. Empty (and allocation-free) without a
/// data path. Guarded by the registry lock.
/// </summary>
internal sealed class RestoredTombstones(TimeProvider time, TimeSpan lifetime)
{
    private Dictionary<string, Dictionary<string, TombstoneStamp>>? _byTopic;

    public bool IsEmpty => _byTopic is null;

    public void Add(string topic, string node, TombstoneStamp stamp)
    {
        _byTopic ??= new(StringComparer.Ordinal);
        if (!_byTopic.TryGetValue(topic, out var nodes))
        {
            _byTopic[topic] = nodes = new(StringComparer.Ordinal);
        }

        nodes[node] = stamp;
    }

    /// <summary>The first restored stamp of <paramref name="topic"/> that names <paramref name="peer"/> and is still in
    /// its lifetime at <paramref name="now"/>; forgets the topic's lapsed ones on the way.</summary>
    public bool TryFind(string topic, PeerInfo peer, long now, out TombstoneStamp stamp)
    {
        stamp = default;
        if (_byTopic is null || !_byTopic.TryGetValue(topic, out var nodes))
        {
            return false;
        }

        var found = false;
        foreach (var (node, restored) in nodes)
        {
            if (time.GetElapsedTime(restored.Timestamp, now) >= lifetime)
            {
                nodes.Remove(node);
            }
            else if (!found && peer.MatchesNode(node))
            {
                stamp = restored;
                found = true;
            }
        }

        if (nodes.Count == 0)
        {
            Forget(topic);
        }

        return found;
    }

    /// <summary>The topic key went (HTTP delete or pruning): so do its restored tombstones, as its live ones do.</summary>
    public void Forget(string topic)
    {
        if (_byTopic is not null && _byTopic.Remove(topic) && _byTopic.Count == 0)
        {
            _byTopic = null;
        }
    }
}
