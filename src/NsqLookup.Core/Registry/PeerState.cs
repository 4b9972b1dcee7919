namespace NsqLookup.Registry;

/// <summary>
/// The registry's side of one peer: who it is (<see cref="Identity"/>), the small slot number that keys its entries,
/// the peer record they share, and its entries grouped by topic, so a topic-form UNREGISTER, a <c>/nodes</c> row and
/// a disconnect touch only this peer's registrations. Its entry counts and its <c>/nodes</c> row change only through
/// <see cref="Link"/> and <see cref="Unlink"/>, so they always agree with the keys. Exists while the peer has at
/// least one entry (<see cref="PeerTable"/>). Guarded by the registry lock.
/// </summary>
internal sealed class PeerState(PeerIdentity identity, int slot, PeerInfo info)
{
    private readonly Dictionary<TopicNode, PeerTopic> _topics = [];
    private NodeRow? _row;
    private TopicNode[]? _rowTopics;

    public PeerIdentity Identity { get; } = identity;

    public int Slot { get; } = slot;

    /// <summary>The record of the connection that first registered under this identity: identities are unique among
    /// live peers, and the state is released with the peer's last registration.</summary>
    public PeerInfo Info { get; } = info;

    public bool InClientKey { get; private set; }

    public IReadOnlyDictionary<TopicNode, PeerTopic> Topics => _topics;

    /// <summary>The topics this peer has an entry under (a copy: the caller may change the peer while walking it).</summary>
    public TopicNode[] TopicNodes() => [.. _topics.Keys];

    public bool TryGetTopic(TopicNode topic, out PeerTopic mine) => _topics.TryGetValue(topic, out mine!);

    /// <summary>Client, topic and channel entries together; the slot is freed when this reaches zero.</summary>
    public int Entries { get; private set; }

    /// <summary>Topic entries among <see cref="Entries"/> (the rest are channel entries and <c>client::</c>).</summary>
    public int TopicEntries { get; private set; }

    public int ChannelEntries => Entries - TopicEntries - (InClientKey ? 1 : 0);

    /// <summary>How many of this peer's entries carry a tombstone stamp; while zero, a <c>/nodes</c> row needs no
    /// per-topic lookups.</summary>
    public int Tombstoned { get; private set; }

    /// <summary>The peer left (<see cref="PeerTable.Detach"/>): its identity is no longer this state's, it is out of
    /// the counts, and every query skips its entries until they are released.</summary>
    public bool Detached { get; private set; }

    /// <summary>Monotonic timestamp of the detach: when its entries stopped being visible.</summary>
    public long DetachedAt { get; private set; }

    /// <summary>Its last entry is gone; the slot may belong to another peer by now.</summary>
    public bool Released => Entries == 0;

    /// <summary>Files an entry just added to <paramref name="key"/>.</summary>
    public void Link(KeyNode key)
    {
        Entries++;
        if (key.Topic is not { } topic)
        {
            InClientKey = true;
            return;
        }

        if (!_topics.TryGetValue(topic, out var mine))
        {
            _topics[topic] = mine = new PeerTopic();
        }

        if (key.Registration.IsTopic)
        {
            mine.InTopicKey = true;
            TopicEntries++;
            _row = null;
        }
        else
        {
            mine.AddChannel(key);
        }
    }

    /// <summary>Unfiles an entry that just left <paramref name="key"/> (with its tombstone, if it had one).</summary>
    public void Unlink(KeyNode key, bool hadTombstone)
    {
        if (hadTombstone)
        {
            Tombstoned--;
        }

        Entries--;
        if (key.Topic is not { } topic)
        {
            InClientKey = false;
            return;
        }

        var mine = _topics[topic];
        if (key.Registration.IsTopic)
        {
            mine.InTopicKey = false;
            TopicEntries--;
            _row = null;
        }
        else
        {
            mine.RemoveChannel(key);
        }

        if (mine.IsEmpty)
        {
            _topics.Remove(topic);
        }
    }

    /// <summary>One more of this peer's entries was stamped (<see cref="KeyNode.Tombstone"/> returned true).</summary>
    public void TombstoneAdded() => Tombstoned++;

    public void Detach(long now)
    {
        Detached = true;
        DetachedAt = now;
    }

    /// <summary>This peer's <c>/nodes</c> row. Without a tombstone it is the kept row: the same instance until the
    /// peer's topic entries change (built once per change, not on every poll), so a caller may key what it derives
    /// from it on the instance. With one, a new row per call, since its flags change with time: O(its topics).</summary>
    public NodeRow Row(long now, TimeSpan tombstoneLifetime, TimeProvider time)
    {
        if (_row is null)
        {
            var topics = new List<TopicNode>(_topics.Count);
            foreach (var (topic, mine) in _topics)
            {
                if (mine.InTopicKey)
                {
                    topics.Add(topic);
                }
            }

            _rowTopics = [.. topics];
            _row = NodeRow.Kept(Info, _rowTopics);
        }

        if (Tombstoned == 0)
        {
            return _row;
        }

        var flags = new bool[_rowTopics!.Length];
        for (var i = 0; i < flags.Length; i++)
        {
            flags[i] = _rowTopics[i].TopicKey!.IsTombstoned(Slot, now, tombstoneLifetime, time);
        }

        return _row.WithTombstones(flags);
    }
}
