using System.Collections.Immutable;

namespace NsqLookup.Registry;

/// <summary>
/// The directory: (category, key, subkey) → producers (nsqlookupd/registration_db.go), stored so that every
/// operation costs what its answer costs, never what the directory holds (docs/registry.md).
/// <list type="bullet">
/// <item>Keys are filed by topic (<see cref="TopicNode"/>); an entry is a peer slot in its key's set; each peer
/// keeps its own entries grouped by topic (<see cref="PeerState"/>). Names are interned (<see cref="NameTable"/>).</item>
/// <item>One lock guards all of it. Writers hold it for O(1) (REGISTER) or O(what they remove); readers hold it
/// only to copy their answer or one bounded piece of it. Topic and channel name lists are immutable sorted sets,
/// replaced on change, so <c>/topics</c> takes no lock and nothing is sorted on a query.</item>
/// </list>
/// Unlike the anchor, <c>*</c> is never a wildcard here (spec §8 item 5): every name is literal.
/// </summary>
public sealed partial class RegistrationDB
{
    private static readonly ImmutableSortedSet<string> NoNames = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly NameTable _names = new();
    private readonly Dictionary<string, TopicNode> _topicNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PeerState> _peers = new(StringComparer.Ordinal);
    private readonly List<PeerState?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private KeyNode? _clientKey;

    /// <summary>Peers detached (<see cref="DetachPeer"/>) whose entries are not all released yet; while zero, no key
    /// holds a slot that queries must skip.</summary>
    private int _detached;

    /// <summary>Departures waiting for the release worker; also the worker's lock.</summary>
    private readonly Queue<PeerDeparture> _releases = new();
    private bool _releasing;

    /// <summary>Names with a topic key (<c>/topics</c>); replaced, never mutated, so readers need no lock.</summary>
    private ImmutableSortedSet<string> _topicNames = NoNames;

    /// <summary>Names of every <see cref="TopicNode"/> (topic key or channel keys): what <c>/debug</c> walks.</summary>
    private ImmutableSortedSet<string> _nodeNames = NoNames;

    public RegistrationDB(TimeProvider time, TimeSpan inactiveProducerTimeout, TimeSpan tombstoneLifetime)
    {
        _time = time;
        InactiveProducerTimeout = inactiveProducerTimeout;
        TombstoneLifetime = tombstoneLifetime;
    }

    public TimeSpan InactiveProducerTimeout { get; }

    public TimeSpan TombstoneLifetime { get; }

    /// <summary>The most bytes of <c>/lookup</c> answers kept by <see cref="CacheLookup"/> at once (32 MiB): a bound
    /// on what caching costs on a directory whose every topic is looked up; past it, answers are built each time.</summary>
    public long LookupCacheLimit { get; init; } = 32L * 1024 * 1024;

    private long _lookupCacheBytes;

    /// <summary>What <c>/lookup</c> answers for this topic changed: its stored answer goes.</summary>
    private void LookupChanged(TopicNode? node)
    {
        if (node is not null)
        {
            node.LookupVersion++;
            DropLookupCache(node);
        }
    }

    private void DropLookupCache(TopicNode node)
    {
        if (node.LookupCache is { } cache)
        {
            _lookupCacheBytes -= cache.Size;
            node.LookupCache = null;
        }
    }

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
            var key = EnsureKey(r, out _);
            if (!_peers.TryGetValue(peer.Id, out var state))
            {
                state = NewPeer(peer);
            }

            if (!key.Slots.Add(state.Slot))
            {
                return false;
            }

            state.Entries++;
            if (key.Topic is not { } topic)
            {
                state.InClientKey = true;
                return true;
            }

            if (!state.Topics.TryGetValue(topic, out var mine))
            {
                state.Topics[topic] = mine = new PeerTopic();
            }

            if (key.Registration.IsTopic)
            {
                mine.InTopicKey = true;
                state.TopicRow = null;
                state.TopicEntries++;
                _topicEntries++;
                ApplyRestoredTombstone(key, state);
                LookupChanged(topic);
            }
            else
            {
                mine.AddChannel(key);
                _channelEntries++;
            }

            return true;
        }
    }

    /// <summary>HTTP <c>/channel/delete</c>: deletes the channel key and all its entries. True when it existed.</summary>
    public bool DeleteChannel(string topic, string channel)
    {
        lock (_lock)
        {
            if (FindKey(Registration.Channel(topic, channel)) is not { } key)
            {
                return false;
            }

            RemoveKey(key);
            return true;
        }
    }

    /// <summary>
    /// Channel-form UNREGISTER (spec §2.8): removes the entry; an <c>#ephemeral</c> channel left with no
    /// producer loses its key. Returns whether the entry existed.
    /// </summary>
    public bool UnregisterChannel(string topic, string channel, string peerId)
    {
        lock (_lock)
        {
            if (FindKey(Registration.Channel(topic, channel)) is not { } key)
            {
                return false;
            }

            var removed = _peers.TryGetValue(peerId, out var state) && RemoveEntry(key, state);
            if (Names.IsEphemeral(channel) && LiveCount(key) == 0)
            {
                RemoveKey(key);
            }

            return removed;
        }
    }

    /// <summary>
    /// Topic-form UNREGISTER (spec §2.8): removes the peer from every channel key of the topic (keys stay),
    /// then from the topic key, which goes away if it is <c>#ephemeral</c> and empty. Costs this peer's
    /// channels of that topic.
    /// </summary>
    public TopicUnregistration UnregisterTopic(string topic, string peerId)
    {
        lock (_lock)
        {
            if (!_topicNodes.TryGetValue(topic, out var node))
            {
                return new TopicUnregistration([], false);
            }

            _peers.TryGetValue(peerId, out var state);
            var channels = new List<Registration>();
            if (state is not null && state.Topics.TryGetValue(node, out var mine))
            {
                foreach (var key in mine.Channels.ToArray())
                {
                    RemoveEntry(key, state);
                    channels.Add(key.Registration);
                }
            }

            var removed = false;
            if (node.TopicKey is { } topicKey)
            {
                removed = state is not null && RemoveEntry(topicKey, state);
                if (Names.IsEphemeral(topic) && LiveCount(topicKey) == 0)
                {
                    RemoveKey(topicKey);
                }
            }

            return new TopicUnregistration(channels, removed);
        }
    }

    /// <summary>
    /// Disconnect cleanup for a live connection: detaches the peer at once (O(1), see <see cref="DetachPeer"/>), so
    /// it is gone from every answer before this returns, then releases its entries on the registry's one release
    /// worker, off the caller's thread: a hundred nsqd leaving together cost the socket thread microseconds each,
    /// not a walk of their registrations. The task gives the registrations the peer was removed from.
    /// </summary>
    public Task<IReadOnlyList<Registration>> RemovePeerAsync(string peerId)
    {
        if (DetachPeer(peerId) is not { } departure)
        {
            return Task.FromResult<IReadOnlyList<Registration>>([]);
        }

        bool start;
        lock (_releases)
        {
            _releases.Enqueue(departure);
            start = !_releasing;
            _releasing = true;
            Monitor.Pulse(_releases);
        }

        if (start)
        {
            // Its own thread, not a pool work item: a burst of departures must not hold a pool thread (on a
            // one-core host, the only one) for their whole walk while HTTP requests wait behind it.
            new Thread(static db => ((RegistrationDB)db!).DrainReleases())
            {
                IsBackground = true,
                Name = "registry release",
            }.Start(this);
        }

        return departure.Released.Task;
    }

    /// <summary>
    /// The O(1) half of a disconnect: the peer id is free again, the peer leaves <c>client::</c> and the counts, and
    /// every query skips its remaining entries, so every answer is already what it will be once they are gone. Its
    /// entries stay (holding its slot) until <see cref="ReleasePeer"/>. Null when the peer has no entry.
    /// </summary>
    public PeerDeparture? DetachPeer(string peerId)
    {
        lock (_lock)
        {
            if (!_peers.Remove(peerId, out var state))
            {
                return null;
            }

            var client = state.InClientKey && _clientKey is { } key && RemoveEntry(key, state);
            if (state.Entries > 0)
            {
                state.Detached = true;
                state.DetachedAt = _time.GetTimestamp();
                _detached++;
                _topicEntries -= state.TopicEntries;
                _channelEntries -= state.Entries - state.TopicEntries;
            }

            return new PeerDeparture(state, client);
        }
    }

    /// <summary>Removes a detached peer's entries (keys stay); returns every registration it was removed from,
    /// <c>client::</c> included. Costs this peer's registrations, taken a few topics per lock hold so a large peer
    /// leaving does not stall everyone else's REGISTER.</summary>
    public IReadOnlyList<Registration> ReleasePeer(PeerDeparture departure)
    {
        ArgumentNullException.ThrowIfNull(departure);
        const int topicsPerHold = 32;
        var state = departure.State;
        var removed = new List<Registration>();
        if (departure.InClientKey)
        {
            removed.Add(Registration.Client);
        }

        TopicNode[] topics;
        lock (_lock)
        {
            removed.Capacity = removed.Count + state.Entries;
            topics = [.. state.Topics.Keys];
        }

        // A detached peer gains nothing, so only an HTTP delete races this, and it unlinks what it removes: what
        // state.Topics still names is still this peer's (its slot stays reserved until its last entry goes).
        for (var start = 0; start < topics.Length; start += topicsPerHold)
        {
            lock (_lock)
            {
                foreach (var topic in topics.AsSpan(start, Math.Min(topicsPerHold, topics.Length - start)))
                {
                    if (!state.Topics.TryGetValue(topic, out var mine))
                    {
                        continue;
                    }

                    foreach (var key in mine.Channels.ToArray())
                    {
                        RemoveEntry(key, state);
                        removed.Add(key.Registration);
                    }

                    if (mine.InTopicKey && topic.TopicKey is { } topicKey)
                    {
                        RemoveEntry(topicKey, state);
                        removed.Add(topicKey.Registration);
                    }
                }
            }
        }

        departure.Released.TrySetResult(removed);
        return removed;
    }

    /// <summary>The release worker: releases departures in arrival order; lingers a second for more before it ends.</summary>
    private void DrainReleases()
    {
        while (true)
        {
            PeerDeparture departure;
            lock (_releases)
            {
                if (_releases.Count == 0 && !Monitor.Wait(_releases, TimeSpan.FromSeconds(1)) && _releases.Count == 0)
                {
                    _releasing = false;
                    return;
                }

                if (!_releases.TryDequeue(out departure!))
                {
                    continue;
                }
            }

            try
            {
                ReleasePeer(departure);
            }
#pragma warning disable CA1031 // a failure must reach the awaiting connection, not kill the worker
            catch (Exception ex)
#pragma warning restore CA1031
            {
                departure.Released.TrySetException(ex);
            }
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

    /// <summary>HTTP <c>/topic/delete</c>: every channel key of the topic (in name order), then the topic key, in
    /// one lock hold. Returns the keys deleted, in that order (what the handler logs, as the Go original does).</summary>
    public IReadOnlyList<Registration> DeleteTopic(string topic)
    {
        lock (_lock)
        {
            if (!_topicNodes.TryGetValue(topic, out var node))
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

    /// <summary>
    /// HTTP <c>/topic/tombstone</c>: tombstones (and restamps) the topic entries whose
    /// <c>broadcast_address:http_port</c> equals <paramref name="node"/>; IPv6 broadcast addresses also match in
    /// bracketed form, which is what nsqadmin sends (spec §8 item 6). Returns how many entries were stamped.
    /// </summary>
    public int Tombstone(string topic, string node)
    {
        var stamp = new TombstoneStamp(_time.GetTimestamp(), GoTime.UnixNanos(_time.GetUtcNow()));
        lock (_lock)
        {
            if (!_topicNodes.TryGetValue(topic, out var topicNode) || topicNode.TopicKey is not { } key)
            {
                return 0;
            }

            var count = 0;
            foreach (var slot in key.Slots)
            {
                var state = _slots[slot]!;
                if (!state.Detached && MatchesNode(state.Info, node))
                {
                    key.Tombstones ??= [];
                    if (key.Tombstones.TryAdd(slot, stamp))
                    {
                        state.Tombstoned++;
                    }
                    else
                    {
                        key.Tombstones[slot] = stamp;
                    }

                    count++;
                }
            }

            if (count > 0)
            {
                LookupChanged(topicNode);
            }

            return count;
        }
    }

    /// <summary>The key's entries that queries see: all of them unless some belong to a detached peer.</summary>
    private int LiveCount(KeyNode key)
    {
        if (_detached == 0)
        {
            return key.Slots.Count;
        }

        var live = 0;
        foreach (var slot in key.Slots)
        {
            if (!_slots[slot]!.Detached)
            {
                live++;
            }
        }

        return live;
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

    private PeerState NewPeer(PeerInfo peer)
    {
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots.Count;
        var state = new PeerState(slot, peer);
        if (slot == _slots.Count)
        {
            _slots.Add(state);
        }
        else
        {
            _slots[slot] = state;
        }

        _peers.Add(peer.Id, state);
        return state;
    }

    private KeyNode? FindKey(Registration r)
    {
        if (r.Category == Registration.ClientCategory)
        {
            return r.Key.Length == 0 && r.SubKey.Length == 0 ? _clientKey : null;
        }

        if (!_topicNodes.TryGetValue(r.Key, out var node))
        {
            return null;
        }

        return r.Category switch
        {
            Registration.TopicCategory when r.SubKey.Length == 0 => node.TopicKey,
            Registration.ChannelCategory => node.Channels.GetValueOrDefault(r.SubKey),
            _ => null,
        };
    }

    private KeyNode EnsureKey(Registration r, out bool created)
    {
        if (FindKey(r) is { } existing)
        {
            created = false;
            return existing;
        }

        created = true;
        var key = CreateKey(r);
        key.EmptySince = _time.GetTimestamp();
        return key;
    }

    private KeyNode CreateKey(Registration r)
    {
        if (r.Category == Registration.ClientCategory && r.Key.Length == 0 && r.SubKey.Length == 0)
        {
            return _clientKey = new KeyNode(Registration.Client, null);
        }

        if (r.Category == Registration.TopicCategory && r.SubKey.Length == 0)
        {
            var node = EnsureTopicNode(r.Key);
            node.TopicKey = new KeyNode(Registration.Topic(node.Name), node);
            Volatile.Write(ref _topicNames, _topicNames.Add(node.Name));
            LookupChanged(node);
            return node.TopicKey;
        }

        if (r.Category == Registration.ChannelCategory)
        {
            var node = EnsureTopicNode(r.Key);
            var channel = _names.Acquire(r.SubKey);
            var key = new KeyNode(Registration.Channel(node.Name, channel), node);
            node.Channels.Add(channel, key);
            node.ChannelNames = node.ChannelNames.Add(channel);
            _channelKeys++;
            LookupChanged(node);
            return key;
        }

        throw new ArgumentException($"not a registration nsqlookupd keeps: {r}", nameof(r));
    }

    private TopicNode EnsureTopicNode(string topic)
    {
        if (!_topicNodes.TryGetValue(topic, out var node))
        {
            node = new TopicNode(_names.Acquire(topic));
            _topicNodes.Add(node.Name, node);
            Volatile.Write(ref _nodeNames, _nodeNames.Add(node.Name));
        }

        return node;
    }

    /// <summary>Deletes one entry and unlinks it from its peer; frees the peer's slot with its last entry.</summary>
    private bool RemoveEntry(KeyNode key, PeerState state)
    {
        if (!key.Slots.Remove(state.Slot))
        {
            return false;
        }

        // When the key's last visible producer left: now for a live peer, the detach for a detached one (its entries
        // were already invisible). Kept as a maximum over removals, so whichever left last decides; read only once
        // the key is empty.
        key.EmptySince = Math.Max(key.EmptySince, state.Detached ? state.DetachedAt : _time.GetTimestamp());

        if (key.Registration.IsTopic)
        {
            LookupChanged(key.Topic);
        }

        ForgetTombstone(key, state);
        Unlink(key, state);
        return true;
    }

    private static void ForgetTombstone(KeyNode key, PeerState state)
    {
        if (key.Tombstones is { } tombstones && tombstones.Remove(state.Slot))
        {
            state.Tombstoned--;
            if (tombstones.Count == 0)
            {
                key.Tombstones = null;
            }
        }
    }

    private void Unlink(KeyNode key, PeerState state)
    {
        if (key.Topic is not { } topic)
        {
            state.InClientKey = false;
        }
        else
        {
            var mine = state.Topics[topic];
            if (key.Registration.IsTopic)
            {
                mine.InTopicKey = false;
                state.TopicRow = null;
                state.TopicEntries--;
                if (!state.Detached)
                {
                    _topicEntries--;
                }
            }
            else
            {
                mine.RemoveChannel(key);
                if (!state.Detached)
                {
                    _channelEntries--;
                }
            }

            if (mine.IsEmpty)
            {
                state.Topics.Remove(topic);
            }
        }

        if (--state.Entries == 0)
        {
            state.Released = true;
            if (state.Detached)
            {
                _detached--; // its id already left _peers, and may belong to a new connection by now
            }
            else
            {
                _peers.Remove(state.Info.Id);
            }

            _slots[state.Slot] = null;
            _freeSlots.Push(state.Slot);
        }
    }

    /// <summary>Deletes a key with all its entries; the topic node goes when its last key does.</summary>
    private void RemoveKey(KeyNode key)
    {
        foreach (var slot in key.Slots)
        {
            var state = _slots[slot]!;
            ForgetTombstone(key, state);
            Unlink(key, state);
        }

        key.Slots.Clear();
        key.Tombstones = null;
        if (key.Topic is not { } node)
        {
            _clientKey = null;
            return;
        }

        LookupChanged(node);

        if (key.Registration.IsTopic)
        {
            ForgetRestoredTombstones(node.Name);
            node.TopicKey = null;
            Volatile.Write(ref _topicNames, _topicNames.Remove(node.Name));
        }
        else
        {
            var channel = key.Registration.SubKey;
            node.Channels.Remove(channel);
            node.ChannelNames = node.ChannelNames.Remove(channel);
            _channelKeys--;
            _names.Release(channel);
        }

        if (node.IsEmpty)
        {
            _topicNodes.Remove(node.Name);
            Volatile.Write(ref _nodeNames, _nodeNames.Remove(node.Name));
            _names.Release(node.Name);
        }
    }
}
