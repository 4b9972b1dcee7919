namespace NsqLookup.Registry;

/// <summary>The read side: each query holds the lock only to copy its answer, or one bounded piece of it.</summary>
internal sealed partial class RegistrationDB
{
    /// <summary>Every topic key, sorted (the Go original's order is random; docs/protocol.md, "Deliberate differences"). Lock-free: the
    /// answer is an immutable set that is replaced whenever a topic key comes or goes, so the instance is its own
    /// version stamp: the same instance comes back until the answer changes (callers may cache what they derive
    /// from it under that reference).</summary>
    public IReadOnlyList<string> Topics() => _keys.TopicNames;

    /// <summary>Every channel key of the topic, sorted; empty for an unknown topic. Immutable; O(1) under the lock.</summary>
    public IReadOnlyList<string> Channels(string topic)
    {
        lock (_lock)
        {
            return _keys.Topic(topic)?.ChannelNames ?? KeyIndex.Empty;
        }
    }

    /// <summary><c>/lookup</c>: null when the topic key does not exist; else all its channels and its producers that
    /// are active and not tombstoned, from one consistent view (docs/protocol.md, "Deliberate differences"), with the answer's version stamp
    /// (<see cref="LookupResult.Stamp"/>). When <paramref name="known"/>, a stamp of an earlier answer, is still
    /// current, that answer comes back with that very stamp, at O(1) plus a check per listed producer; else it costs
    /// that topic's producers.</summary>
    public LookupResult? Lookup(string topic, LookupStamp? known = null)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_keys.Topic(topic) is not { } node || node.TopicKey is not { } key)
            {
                return null;
            }

            if (known is not null && known.Node == node && known.IsCurrent(now))
            {
                return new LookupResult(node.ChannelNames, known.Producers) { Stamp = known };
            }

            var live = new List<PeerInfo>(key.Count);
            var listed = new List<PeerState>(key.Count);
            long oldestUpdate = long.MaxValue, oldestTombstone = long.MaxValue;
            var stampable = true;
            foreach (var slot in key)
            {
                var state = _peers[slot];
                var peer = state.Info;
                if (state.Detached)
                {
                    continue;
                }

                if (!IsActive(peer, now))
                {
                    stampable = false; // a PING would bring it back without touching the topic
                    continue;
                }

                if (key.HasTombstones && key.TryGetTombstone(slot, out var tombstone)
                    && _time.GetElapsedTime(tombstone.Timestamp, now) < TombstoneLifetime)
                {
                    oldestTombstone = Math.Min(oldestTombstone, tombstone.Timestamp);
                    continue;
                }

                live.Add(peer);
                listed.Add(state);
                oldestUpdate = Math.Min(oldestUpdate, peer.LastUpdateTimestamp);
            }

            var validUntil = Math.Min(Later(oldestUpdate, InactiveProducerTimeout), Later(oldestTombstone, TombstoneLifetime));
            var stamp = stampable ? new LookupStamp(node, node.LookupVersion, [.. listed], live, validUntil) : null;
            return new LookupResult(node.ChannelNames, live) { Stamp = stamp };
        }
    }

    /// <summary>Whether the answer <paramref name="stamp"/> was taken from is still the answer (one lock hold, O(its
    /// producers)): what a cache of answers asks when it looks for entries to free.</summary>
    public bool IsCurrent(LookupStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            return _keys.Topic(stamp.Node.Name) == stamp.Node && stamp.IsCurrent(now);
        }
    }

    /// <summary><paramref name="since"/> plus <paramref name="span"/> in timestamp units, a tick early and saturated:
    /// the first moment from which the clock alone may have changed an answer.</summary>
    private long Later(long since, TimeSpan span)
    {
        var ticks = span.TotalSeconds * _time.TimestampFrequency;
        if (ticks >= long.MaxValue / 4 || since >= long.MaxValue / 4)
        {
            return long.MaxValue;
        }

        return since + (long)ticks - 1;
    }

    /// <summary><c>/nodes</c>: every active identified peer with the topics it registered and their tombstones.
    /// One lock hold for the list of peers, then one per peer for its row (each row is consistent; so is the Go
    /// original's, which takes a lock per producer too). A peer's row is kept until its topic entries change
    /// (<see cref="PeerState.Row"/>), so a poll holds the lock O(1) per peer, plus O(its topics) for a peer with a
    /// tombstone.</summary>
    public IReadOnlyList<NodeRow> Nodes()
    {
        var now = _time.GetTimestamp();
        PeerState[] peers;
        lock (_lock)
        {
            if (_keys.Client is not { } client)
            {
                return [];
            }

            peers = new PeerState[client.Count];
            var i = 0;
            foreach (var slot in client)
            {
                peers[i++] = _peers[slot];
            }
        }

        var rows = new List<NodeRow>(peers.Length);
        foreach (var state in peers)
        {
            lock (_lock)
            {
                if (!state.Released && !state.Detached && state.InClientKey && IsActive(state.Info, now))
                {
                    rows.Add(state.Row(now, TombstoneLifetime, _time));
                }
            }
        }

        return rows;
    }

    /// <summary><c>/debug</c>: every key with at least one entry, sorted by name, no filtering. Taken one topic
    /// (its topic and channel keys) per lock hold: an operator's dump need not stall REGISTER for its whole length.</summary>
    public IReadOnlyList<DebugRegistration> Debug()
    {
        var names = _keys.NodeNames;
        var result = new List<DebugRegistration>();
        lock (_lock)
        {
            if (_keys.Client is { } client)
            {
                AddDebug(result, client);
            }
        }

        foreach (var name in names)
        {
            lock (_lock)
            {
                if (_keys.Topic(name) is not { } node)
                {
                    continue;
                }

                if (node.TopicKey is { } topicKey)
                {
                    AddDebug(result, topicKey);
                }

                foreach (var key in node.Channels.Values)
                {
                    AddDebug(result, key);
                }
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    private void AddDebug(List<DebugRegistration> result, KeyNode key)
    {
        if (key.Count == 0)
        {
            return;
        }

        var entries = new List<DebugEntry>(key.Count);
        foreach (var slot in key)
        {
            var state = _peers[slot];
            if (state.Detached)
            {
                continue;
            }

            var peer = state.Info;
            var tombstoned = key.TryGetTombstone(slot, out var stamp);
            entries.Add(new DebugEntry(peer, peer.LastUpdateUnixNanos, tombstoned, tombstoned ? stamp.UnixNanos : GoTime.ZeroUnixNanos));
        }

        if (entries.Count > 0)
        {
            result.Add(new DebugRegistration(key.Registration.ToString(), entries));
        }
    }

    private bool IsActive(PeerInfo peer, long now) =>
        _time.GetElapsedTime(peer.LastUpdateTimestamp, now) <= InactiveProducerTimeout;
}
