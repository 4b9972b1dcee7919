using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>
/// The Go original's registry, as plainly as it can be written: one flat map (category, key, subkey) → peer id →
/// entry, every operation a scan, and the filters of docs/protocol.md, "Registration model", applied on read. The reference that
/// <see cref="RegistryModelTests"/> holds the real <see cref="RegistrationDB"/> against. Literal names only
/// ("Deliberate differences" item 5), IPv6 nodes match bracketed too (item 6).
/// </summary>
internal sealed class RegistryModel(TimeProvider clock, TimeSpan inactiveProducerTimeout, TimeSpan tombstoneLifetime)
{
    private readonly Dictionary<Registration, Dictionary<string, Entry>> _keys = [];
    private readonly Dictionary<string, DateTimeOffset> _lastUpdate = [];

    public void Touch(PeerInfo peer) => _lastUpdate[peer.Id] = clock.GetUtcNow();

    public bool AddRegistration(Registration r) => _keys.TryAdd(r, []);

    public bool AddProducer(Registration r, PeerInfo peer)
    {
        AddRegistration(r);
        return _keys[r].TryAdd(peer.Id, new Entry(peer));
    }

    public (bool Removed, int Left) RemoveProducer(Registration r, string id) =>
        _keys.TryGetValue(r, out var entries) ? (entries.Remove(id), entries.Count) : (false, 0);

    public bool RemoveRegistration(Registration r) => _keys.Remove(r);

    public bool UnregisterChannel(string topic, string channel, string id)
    {
        var (removed, left) = RemoveProducer(Registration.Channel(topic, channel), id);
        if (left == 0 && Names.IsEphemeral(channel))
        {
            RemoveRegistration(Registration.Channel(topic, channel));
        }

        return removed;
    }

    public (HashSet<Registration> Channels, bool Topic) UnregisterTopic(string topic, string id)
    {
        var channels = new HashSet<Registration>();
        foreach (var r in Find(Registration.ChannelCategory, topic))
        {
            if (RemoveProducer(r, id).Removed)
            {
                channels.Add(r);
            }
        }

        var (removed, left) = RemoveProducer(Registration.Topic(topic), id);
        if (left == 0 && Names.IsEphemeral(topic))
        {
            RemoveRegistration(Registration.Topic(topic));
        }

        return (channels, removed);
    }

    public HashSet<Registration> RemovePeer(string id)
    {
        var removed = _keys.Where(k => k.Value.Remove(id)).Select(k => k.Key).ToHashSet();
        _lastUpdate.Remove(id);
        return removed;
    }

    public List<Registration> DeleteTopic(string topic)
    {
        var removed = Find(Registration.ChannelCategory, topic).OrderBy(r => r.SubKey, StringComparer.Ordinal)
            .Where(RemoveRegistration).ToList();
        if (RemoveRegistration(Registration.Topic(topic)))
        {
            removed.Add(Registration.Topic(topic));
        }

        return removed;
    }

    public int Tombstone(string topic, string node)
    {
        if (!_keys.TryGetValue(Registration.Topic(topic), out var entries))
        {
            return 0;
        }

        var stamped = 0;
        foreach (var e in entries.Values)
        {
            var plain = $"{e.Peer.BroadcastAddress}:{e.Peer.HttpPort}";
            var bracketed = $"[{e.Peer.BroadcastAddress}]:{e.Peer.HttpPort}";
            if (node == plain || (e.Peer.BroadcastAddress.Contains(':', StringComparison.Ordinal) && node == bracketed))
            {
                e.TombstonedAt = clock.GetUtcNow();
                stamped++;
            }
        }

        return stamped;
    }

    /// <summary>What <see cref="RegistrationDB.Counts"/> keeps, by scanning.</summary>
    public RegistryCounts Counts() => new(
        Producers: _keys.Values.SelectMany(e => e.Keys).Distinct().Count(),
        Topics: _keys.Keys.Count(r => r.IsTopic),
        Channels: _keys.Keys.Count(r => r.Category == Registration.ChannelCategory),
        ClientEntries: _keys.Where(k => k.Key.Category == Registration.ClientCategory).Sum(k => k.Value.Count),
        TopicEntries: _keys.Where(k => k.Key.IsTopic).Sum(k => k.Value.Count),
        ChannelEntries: _keys.Where(k => k.Key.Category == Registration.ChannelCategory).Sum(k => k.Value.Count));

    public List<string> Topics() => Sorted(_keys.Keys.Where(r => r.IsTopic).Select(r => r.Key));

    public List<string> Channels(string topic) => Sorted(Find(Registration.ChannelCategory, topic).Select(r => r.SubKey));

    /// <summary>Null when the topic key is absent; else sorted channels and sorted live producer ids.</summary>
    public (List<string> Channels, List<string> Producers)? Lookup(string topic) =>
        _keys.TryGetValue(Registration.Topic(topic), out var entries)
            ? (Channels(topic), Sorted(entries.Values.Where(e => IsActive(e) && !IsTombstoned(e)).Select(e => e.Peer.Id)))
            : null;

    /// <summary>Peer id → its "topic=tombstoned" pairs, sorted.</summary>
    public SortedDictionary<string, List<string>> Nodes()
    {
        var nodes = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        if (!_keys.TryGetValue(Registration.Client, out var clients))
        {
            return nodes;
        }

        foreach (var client in clients.Values.Where(IsActive))
        {
            nodes[client.Peer.Id] = Sorted(_keys
                .Where(k => k.Key.IsTopic && k.Value.ContainsKey(client.Peer.Id))
                .Select(k => $"{k.Key.Key}={IsTombstoned(k.Value[client.Peer.Id])}"));
        }

        return nodes;
    }

    /// <summary>"name: id last_update tombstoned tombstoned_at" lines, sorted; keys with entries only.</summary>
    public List<string> Debug() => Sorted(_keys
        .Where(k => k.Value.Count > 0)
        .SelectMany(k => k.Value.Values.Select(e => DebugLine(
            k.Key.ToString(),
            e.Peer.Id,
            RegistryHarness.UnixNanos(_lastUpdate[e.Peer.Id]),
            e.TombstonedAt is not null,
            e.TombstonedAt is { } at ? RegistryHarness.UnixNanos(at) : GoTime.ZeroUnixNanos))));

    public static string DebugLine(string name, string id, long lastUpdate, bool tombstoned, long tombstonedAt) =>
        $"{name}: {id} {lastUpdate} {tombstoned} {tombstonedAt}";

    public static List<string> Sorted(IEnumerable<string> values)
    {
        var list = values.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private IEnumerable<Registration> Find(string category, string key) =>
        _keys.Keys.Where(r => r.Category == category && r.Key == key).ToList();

    private bool IsActive(Entry e) => clock.GetUtcNow() - _lastUpdate[e.Peer.Id] <= inactiveProducerTimeout;

    private bool IsTombstoned(Entry e) => e.TombstonedAt is { } at && clock.GetUtcNow() - at < tombstoneLifetime;

    private sealed class Entry(PeerInfo peer)
    {
        public PeerInfo Peer { get; } = peer;

        public DateTimeOffset? TombstonedAt { get; set; }
    }
}
