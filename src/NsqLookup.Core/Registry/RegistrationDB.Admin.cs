namespace NsqLookup.Registry;

/// <summary>What the HTTP admin routes and <c>--data-path</c> do to the directory: create, delete and tombstone
/// keys, the opt-in pruning of empty keys, and tombstones brought back at startup.</summary>
internal sealed partial class RegistrationDB
{
    /// <summary>Creates the key if absent (HTTP create); never touches producers. True when it was created.</summary>
    public bool AddRegistration(Registration r)
    {
        lock (_lock)
        {
            _keys.Ensure(r, _time.GetTimestamp(), out var created);
            return created;
        }
    }

    /// <summary>Many <see cref="AddRegistration"/>s in one lock hold (the <c>--data-path</c> restore): readers see all
    /// of the keys or none. Returns how many were created.</summary>
    public int AddRegistrations(IEnumerable<Registration> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_lock)
        {
            return _keys.EnsureMany(keys, _time.GetTimestamp());
        }
    }

    /// <summary>HTTP <c>/topic/delete</c>: every channel key of the topic (in name order), then the topic key, in
    /// one lock hold. Returns the keys deleted, in that order (what the handler logs, as the Go original does).</summary>
    public IReadOnlyList<Registration> DeleteTopic(string topic)
    {
        lock (_lock)
        {
            if (_keys.Topic(topic) is not { } node)
            {
                return [];
            }

            var removed = new List<Registration>(node.Channels.Count + 1);
            foreach (var channel in node.ChannelNames)
            {
                var key = node.Channels[channel];
                RemoveKey(key);
                removed.Add(key.Registration);
            }

            if (node.TopicKey is { } topicKey)
            {
                RemoveKey(topicKey);
                removed.Add(topicKey.Registration);
            }

            return removed;
        }
    }

    /// <summary>HTTP <c>/channel/delete</c>: deletes the channel key and all its entries. True when it existed.</summary>
    public bool DeleteChannel(string topic, string channel)
    {
        lock (_lock)
        {
            if (_keys.Find(Registration.Channel(topic, channel)) is not { } key)
            {
                return false;
            }

            RemoveKey(key);
            return true;
        }
    }

    /// <summary>
    /// HTTP <c>/topic/tombstone</c>: tombstones (and restamps) the live topic entries whose producer is
    /// <paramref name="node"/> (<see cref="PeerInfo.MatchesNode"/>). Returns how many entries were stamped.
    /// </summary>
    public int Tombstone(string topic, string node)
    {
        var stamp = new TombstoneStamp(_time.GetTimestamp(), GoTime.UnixNanos(_time.GetUtcNow()));
        lock (_lock)
        {
            return ForEachTombstoneMatch(topic, node, (key, state) => Tombstone(key, state, stamp, restamp: true));
        }
    }

    /// <summary>How many entries <see cref="Tombstone(string, string)"/> would stamp now, changing nothing: what
    /// <c>--data-path</c> asks before journaling a <c>/topic/tombstone</c>, whose change it applies only once its record
    /// is durable.</summary>
    public int TombstoneMatches(string topic, string node)
    {
        lock (_lock)
        {
            return ForEachTombstoneMatch(topic, node, mark: null);
        }
    }

    // Under _lock: the live entries of the topic key whose producer is the node, each handed to mark (which changes
    // the key's tombstones, never its entries); returns how many there were.
    private int ForEachTombstoneMatch(string topic, string node, Action<KeyNode, PeerState>? mark)
    {
        if (_keys.Topic(topic)?.TopicKey is not { } key)
        {
            return 0;
        }

        var count = 0;
        foreach (var slot in key)
        {
            var state = _peers[slot];
            if (!state.Detached && state.Info.MatchesNode(node))
            {
                mark?.Invoke(key, state);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Startup with <c>--data-path</c>: brings back a tombstone set at wall-clock <paramref name="at"/> for the rest of
    /// its lifetime (none if it has lapsed). It marks the topic entry of the producer named <paramref name="node"/>
    /// when it registers the topic again (<see cref="RestoredTombstones"/>), with the original stamp. Returns false
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
            _restored.Add(topic, node, stamp);
            if (_keys.Topic(topic)?.TopicKey is { } key)
            {
                var now = _time.GetTimestamp();
                foreach (var slot in key)
                {
                    var state = _peers[slot];
                    if (!state.Detached && _restored.TryFind(topic, state.Info, now, out var found))
                    {
                        Tombstone(key, state, found, restamp: false);
                    }
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Opt-in cleanup of stale keys (upstream #1009, #1101; off by default): deletes every topic and channel key
    /// that has had no producer for at least <paramref name="grace"/>. The original never deletes a key once its
    /// last producer is gone, so deleted topics linger in <c>/topics</c> forever. <c>client::</c> is never
    /// touched. Walks the directory a few topics per lock hold, like a disconnect. Returns what it deleted.
    /// </summary>
    public IReadOnlyList<Registration> PruneEmptyKeys(TimeSpan grace)
    {
        const int topicsPerHold = 64;
        var names = _keys.NodeNames.ToArray();
        var removed = new List<Registration>();
        for (var start = 0; start < names.Length; start += topicsPerHold)
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                foreach (var name in names.AsSpan(start, Math.Min(topicsPerHold, names.Length - start)))
                {
                    if (_keys.Topic(name) is not { } node)
                    {
                        continue;
                    }

                    foreach (var key in node.Channels.Values.ToArray())
                    {
                        PruneIfStale(key, now, grace, removed);
                    }

                    if (node.TopicKey is { } topicKey)
                    {
                        PruneIfStale(topicKey, now, grace, removed);
                    }
                }
            }
        }

        return removed;
    }

    private void PruneIfStale(KeyNode key, long now, TimeSpan grace, List<Registration> removed)
    {
        if (key.IsEmptyFor(grace, now, _time))
        {
            RemoveKey(key);
            removed.Add(key.Registration);
        }
    }
}
