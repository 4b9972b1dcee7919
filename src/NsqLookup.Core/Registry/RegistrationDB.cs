using NsqLookup.Protocol;

namespace NsqLookup.Registry;

/// <summary>
/// The directory: (category, key, subkey) → producers (nsqlookupd/registration_db.go). One lock guards it;
/// every query copies its answer out. Besides the key → entries map it keeps three indexes so no operation
/// scans the whole directory: topic names, channel names by topic, and each peer's registrations.
/// Unlike the anchor, <c>*</c> is never a wildcard here (spec §8 item 5): every name is literal.
/// </summary>
public sealed class RegistrationDB
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<Registration, Dictionary<string, Producer>> _entries = [];
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _channelsByTopic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Registration>> _byPeer = new(StringComparer.Ordinal);

    public RegistrationDB(TimeProvider time, TimeSpan inactiveProducerTimeout, TimeSpan tombstoneLifetime)
    {
        _time = time;
        InactiveProducerTimeout = inactiveProducerTimeout;
        TombstoneLifetime = tombstoneLifetime;
    }

    public TimeSpan InactiveProducerTimeout { get; }

    public TimeSpan TombstoneLifetime { get; }

    /// <summary>Creates the key if absent (HTTP create); never touches producers. True when it was created.</summary>
    public bool AddRegistration(Registration r)
    {
        lock (_lock)
        {
            EnsureKey(r, out var created);
            return created;
        }
    }

    /// <summary>Adds <paramref name="peer"/> to the key, creating the key if needed. True only for a new entry;
    /// an existing entry (and its tombstone) is left untouched.</summary>
    public bool AddProducer(Registration r, PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_lock)
        {
            var producers = EnsureKey(r, out _);
            if (!producers.TryAdd(peer.Id, new Producer(peer)))
            {
                return false;
            }

            if (!_byPeer.TryGetValue(peer.Id, out var mine))
            {
                _byPeer[peer.Id] = mine = [];
            }

            mine.Add(r);
            return true;
        }
    }

    /// <summary>Removes one entry; never deletes the key. Returns whether it existed and how many entries remain.</summary>
    public (bool Removed, int Left) RemoveProducer(Registration r, string peerId)
    {
        lock (_lock)
        {
            return RemoveProducerLocked(r, peerId);
        }
    }

    /// <summary>Deletes the key and all its entries (HTTP delete). True when the key existed.</summary>
    public bool RemoveRegistration(Registration r)
    {
        lock (_lock)
        {
            return RemoveKeyLocked(r);
        }
    }

    /// <summary>
    /// Channel-form UNREGISTER (spec §2.8): removes the entry; an <c>#ephemeral</c> channel left with no
    /// producer loses its key. Returns whether the entry existed.
    /// </summary>
    public bool UnregisterChannel(string topic, string channel, string peerId)
    {
        var r = Registration.Channel(topic, channel);
        lock (_lock)
        {
            var (removed, left) = RemoveProducerLocked(r, peerId);
            if (left == 0 && Names.IsEphemeral(channel))
            {
                RemoveKeyLocked(r);
            }

            return removed;
        }
    }

    /// <summary>
    /// Topic-form UNREGISTER (spec §2.8): removes the peer from every channel key of the topic (keys stay),
    /// then from the topic key, which goes away if it is <c>#ephemeral</c> and empty.
    /// </summary>
    public TopicUnregistration UnregisterTopic(string topic, string peerId)
    {
        var r = Registration.Topic(topic);
        lock (_lock)
        {
            var channels = new List<Registration>();
            if (_byPeer.TryGetValue(peerId, out var mine))
            {
                foreach (var reg in mine)
                {
                    if (reg.IsChannel && reg.Key == topic)
                    {
                        channels.Add(reg);
                    }
                }
            }

            foreach (var reg in channels)
            {
                RemoveProducerLocked(reg, peerId);
            }

            var (removed, left) = RemoveProducerLocked(r, peerId);
            if (left == 0 && Names.IsEphemeral(topic))
            {
                RemoveKeyLocked(r);
            }

            return new TopicUnregistration(channels, removed);
        }
    }

    /// <summary>Disconnect cleanup (spec §2.9): removes the peer from every key it is in; keys stay.
    /// Returns the registrations it was removed from.</summary>
    public IReadOnlyList<Registration> RemovePeer(string peerId)
    {
        lock (_lock)
        {
            if (!_byPeer.Remove(peerId, out var mine))
            {
                return [];
            }

            var removed = new List<Registration>(mine.Count);
            foreach (var r in mine)
            {
                if (_entries.TryGetValue(r, out var producers) && producers.Remove(peerId))
                {
                    removed.Add(r);
                }
            }

            return removed;
        }
    }

    /// <summary>IDENTIFY / PING: stamps the peer's last update with now; returns the time since the previous stamp.</summary>
    public TimeSpan Touch(PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var since = peer.LastUpdateTimestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(peer.LastUpdateTimestamp, now);
            peer.LastUpdateTimestamp = now;
            peer.LastUpdateUnixNanos = GoTime.UnixNanos(_time.GetUtcNow());
            return since;
        }
    }

    /// <summary>Every topic key, sorted (the anchor's order is random; sorting is allowed, §4.7).</summary>
    public IReadOnlyList<string> Topics()
    {
        lock (_lock)
        {
            return Sorted(_topics);
        }
    }

    /// <summary>Every channel key of the topic, sorted; empty for an unknown topic.</summary>
    public IReadOnlyList<string> Channels(string topic)
    {
        lock (_lock)
        {
            return _channelsByTopic.TryGetValue(topic, out var set) ? Sorted(set) : [];
        }
    }

    public bool HasRegistration(Registration r)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(r);
        }
    }

    /// <summary><c>/lookup</c>: null when the topic key does not exist; else all its channels and its producers that
    /// are active and not tombstoned, from one consistent view.</summary>
    public LookupResult? Lookup(string topic)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_entries.TryGetValue(Registration.Topic(topic), out var producers))
            {
                return null;
            }

            var channels = _channelsByTopic.TryGetValue(topic, out var set) ? Sorted(set) : [];
            var live = new List<PeerInfo>(producers.Count);
            foreach (var p in producers.Values)
            {
                if (IsActive(p.Peer, now) && !IsTombstoned(p, now))
                {
                    live.Add(p.Peer);
                }
            }

            return new LookupResult(channels, live);
        }
    }

    /// <summary><c>/nodes</c>: every active identified peer with the topics it registered and their tombstones.</summary>
    public IReadOnlyList<NodeView> Nodes()
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_entries.TryGetValue(Registration.Client, out var clients))
            {
                return [];
            }

            var nodes = new List<NodeView>(clients.Count);
            foreach (var client in clients.Values)
            {
                var peer = client.Peer;
                if (!IsActive(peer, now))
                {
                    continue;
                }

                var topics = new List<string>();
                var tombstones = new List<bool>();
                if (_byPeer.TryGetValue(peer.Id, out var mine))
                {
                    foreach (var r in mine)
                    {
                        if (r.IsTopic && _entries.TryGetValue(r, out var producers) && producers.TryGetValue(peer.Id, out var p))
                        {
                            topics.Add(r.Key);
                            tombstones.Add(IsTombstoned(p, now));
                        }
                    }
                }

                nodes.Add(new NodeView(peer, topics, tombstones));
            }

            return nodes;
        }
    }

    /// <summary><c>/debug</c>: every key with at least one entry, sorted by name, no filtering.</summary>
    public IReadOnlyList<DebugRegistration> Debug()
    {
        lock (_lock)
        {
            var result = new List<DebugRegistration>();
            foreach (var (r, producers) in _entries)
            {
                if (producers.Count == 0)
                {
                    continue;
                }

                var entries = new List<DebugEntry>(producers.Count);
                foreach (var p in producers.Values)
                {
                    entries.Add(new DebugEntry(p.Peer, p.Peer.LastUpdateUnixNanos, p.Tombstoned, p.TombstonedAtUnixNanos));
                }

                result.Add(new DebugRegistration(r.ToString(), entries));
            }

            result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return result;
        }
    }

    /// <summary>HTTP <c>/topic/delete</c>: every channel key of the topic, then the topic key.</summary>
    public void DeleteTopic(string topic)
    {
        lock (_lock)
        {
            if (_channelsByTopic.TryGetValue(topic, out var set))
            {
                foreach (var channel in set.ToArray())
                {
                    RemoveKeyLocked(Registration.Channel(topic, channel));
                }
            }

            RemoveKeyLocked(Registration.Topic(topic));
        }
    }

    /// <summary>
    /// HTTP <c>/topic/tombstone</c>: tombstones (and restamps) the topic entries whose
    /// <c>broadcast_address:http_port</c> equals <paramref name="node"/>; IPv6 broadcast addresses also match in
    /// bracketed form, which is what nsqadmin sends (spec §8 item 6). Returns how many entries were stamped.
    /// </summary>
    public int Tombstone(string topic, string node)
    {
        var now = _time.GetTimestamp();
        var unixNow = GoTime.UnixNanos(_time.GetUtcNow());
        lock (_lock)
        {
            if (!_entries.TryGetValue(Registration.Topic(topic), out var producers))
            {
                return 0;
            }

            var count = 0;
            foreach (var p in producers.Values)
            {
                if (MatchesNode(p.Peer, node))
                {
                    p.Tombstoned = true;
                    p.TombstonedAtTimestamp = now;
                    p.TombstonedAtUnixNanos = unixNow;
                    count++;
                }
            }

            return count;
        }
    }

    private static bool MatchesNode(PeerInfo peer, string node)
    {
        var port = peer.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var host = peer.BroadcastAddress;
        if (node.Length == host.Length + 1 + port.Length
            && node.StartsWith(host, StringComparison.Ordinal)
            && node[host.Length] == ':'
            && node.EndsWith(port, StringComparison.Ordinal))
        {
            return true;
        }

        return host.Contains(':', StringComparison.Ordinal)
            && node.Length == host.Length + 3 + port.Length
            && node[0] == '['
            && string.CompareOrdinal(node, 1, host, 0, host.Length) == 0
            && node[host.Length + 1] == ']'
            && node[host.Length + 2] == ':'
            && node.EndsWith(port, StringComparison.Ordinal);
    }

    private bool IsActive(PeerInfo peer, long now) =>
        _time.GetElapsedTime(peer.LastUpdateTimestamp, now) <= InactiveProducerTimeout;

    private bool IsTombstoned(Producer p, long now) =>
        p.Tombstoned && _time.GetElapsedTime(p.TombstonedAtTimestamp, now) < TombstoneLifetime;

    private static List<string> Sorted(HashSet<string> set)
    {
        var list = new List<string>(set);
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private Dictionary<string, Producer> EnsureKey(Registration r, out bool created)
    {
        created = false;
        if (_entries.TryGetValue(r, out var producers))
        {
            return producers;
        }

        producers = new Dictionary<string, Producer>(StringComparer.Ordinal);
        _entries[r] = producers;
        if (r.IsTopic)
        {
            _topics.Add(r.Key);
        }
        else if (r.IsChannel)
        {
            if (!_channelsByTopic.TryGetValue(r.Key, out var set))
            {
                _channelsByTopic[r.Key] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(r.SubKey);
        }

        created = true;
        return producers;
    }

    private (bool Removed, int Left) RemoveProducerLocked(Registration r, string peerId)
    {
        if (!_entries.TryGetValue(r, out var producers))
        {
            return (false, 0);
        }

        var removed = producers.Remove(peerId);
        if (removed && _byPeer.TryGetValue(peerId, out var mine))
        {
            mine.Remove(r);
        }

        return (removed, producers.Count);
    }

    private bool RemoveKeyLocked(Registration r)
    {
        if (!_entries.Remove(r, out var producers))
        {
            return false;
        }

        foreach (var peerId in producers.Keys)
        {
            if (_byPeer.TryGetValue(peerId, out var mine))
            {
                mine.Remove(r);
            }
        }

        if (r.IsTopic)
        {
            _topics.Remove(r.Key);
        }
        else if (r.IsChannel && _channelsByTopic.TryGetValue(r.Key, out var set))
        {
            set.Remove(r.SubKey);
            if (set.Count == 0)
            {
                _channelsByTopic.Remove(r.Key);
            }
        }

        return true;
    }
}

/// <summary>What a topic-form UNREGISTER removed: the channel entries (each logged as unexpected) and whether
/// the topic entry existed.</summary>
public sealed record TopicUnregistration(IReadOnlyList<Registration> RemovedChannels, bool RemovedTopic);
