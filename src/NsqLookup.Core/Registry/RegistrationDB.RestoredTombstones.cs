namespace NsqLookup.Registry;

internal sealed partial class RegistrationDB
{
    /// <summary>
    /// Startup with <c>--data-path</c>: brings back a tombstone set at wall-clock <paramref name="at"/> for the rest of
    /// its lifetime (none if it has lapsed). After a restart no nsqd is registered yet, so the tombstone waits for
    /// the producer whose <c>broadcast_address:http_port</c> is <paramref name="node"/> and marks its topic entry
    /// as soon as it registers the topic again, with the original stamp, until the lifetime ends. Returns false
    /// when it had lapsed.
    /// </summary>
    public bool RestoreTombstone(string topic, string node, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(node);
        var age = _time.GetUtcNow() - at;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero; // the clock went back: count the tombstone from now, never beyond its lifetime
        }

        if (age >= TombstoneLifetime)
        {
            return false;
        }

        var stamp = new TombstoneStamp(
            _time.GetTimestamp() - (long)(age.TotalSeconds * _time.TimestampFrequency),
            GoTime.UnixNanos(at));
        lock (_lock)
        {
            _restoredTombstones ??= new(StringComparer.Ordinal);
            if (!_restoredTombstones.TryGetValue(topic, out var nodes))
            {
                _restoredTombstones[topic] = nodes = new(StringComparer.Ordinal);
            }

            nodes[node] = stamp;
            if (_topicNodes.TryGetValue(topic, out var topicNode) && topicNode.TopicKey is { } key)
            {
                foreach (var slot in key.Slots)
                {
                    ApplyRestoredTombstone(key, _slots[slot]!);
                }
            }

            return true;
        }
    }

    /// <summary>Called under the lock when <paramref name="state"/> joins a topic key: marks the entry if a restored
    /// tombstone still in its lifetime names the producer; forgets lapsed ones on the way.</summary>
    private void ApplyRestoredTombstone(KeyNode key, PeerState state)
    {
        if (_restoredTombstones is null
            || key.Topic is not { } topic
            || !_restoredTombstones.TryGetValue(topic.Name, out var nodes))
        {
            return;
        }

        var now = _time.GetTimestamp();
        foreach (var (node, stamp) in nodes)
        {
            if (_time.GetElapsedTime(stamp.Timestamp, now) >= TombstoneLifetime)
            {
                nodes.Remove(node);
            }
            else if (!state.Detached && MatchesNode(state.Info, node))
            {
                MarkTombstone(key, state, stamp, restamp: false);
            }
        }

        if (nodes.Count == 0)
        {
            ForgetRestoredTombstones(topic.Name);
        }
    }

    /// <summary>The topic key went (HTTP delete or pruning): so do its restored tombstones, as its live ones do.</summary>
    private void ForgetRestoredTombstones(string topic)
    {
        if (_restoredTombstones is not null && _restoredTombstones.Remove(topic) && _restoredTombstones.Count == 0)
        {
            _restoredTombstones = null;
        }
    }
}
