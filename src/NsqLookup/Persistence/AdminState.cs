namespace NsqLookup.Persistence;

/// <summary>
/// What the data path keeps, the result of every acknowledged action so far: the topic and channel keys created
/// over HTTP and not deleted or pruned since, and the tombstones set over HTTP (topic, producer id → wall-clock
/// time). Producers are never part of it: nsqd registers them again. Every action overwrites the keys it names
/// regardless of what was there, so replaying an action twice changes nothing. Not thread-safe: owned by the
/// journal's order lock, or by replay before the daemon starts.
/// </summary>
internal sealed class AdminState
{
    private readonly SortedSet<string> _topics = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedSet<string>> _channels = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string Topic, string Node), long> _tombstones = new(TopicNodeComparer.Instance);

    public IReadOnlyCollection<string> Topics => _topics;

    public IEnumerable<(string Topic, string Channel)> Channels =>
        _channels.SelectMany(t => t.Value.Select(c => (t.Key, c)));

    public IEnumerable<(string Topic, string Node, long AtUnixMs)> Tombstones =>
        _tombstones.Select(t => (t.Key.Topic, t.Key.Node, t.Value));

    /// <summary>How many records a snapshot of this state holds.</summary>
    public int Count => _topics.Count + _channels.Sum(t => t.Value.Count) + _tombstones.Count;

    public void Apply(AdminAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        switch (action.Kind)
        {
            case AdminActionKind.CreateTopic:
                _topics.Add(action.Topic);
                break;
            case AdminActionKind.DeleteTopic:
                _topics.Remove(action.Topic);
                _channels.Remove(action.Topic);
                RemoveTombstones(action.Topic);
                break;
            case AdminActionKind.PruneTopic:
                _topics.Remove(action.Topic);
                RemoveTombstones(action.Topic);
                break;
            case AdminActionKind.CreateChannel:
                if (!_channels.TryGetValue(action.Topic, out var channels))
                {
                    _channels[action.Topic] = channels = new SortedSet<string>(StringComparer.Ordinal);
                }

                channels.Add(action.Channel);
                break;
            case AdminActionKind.DeleteChannel:
                if (_channels.TryGetValue(action.Topic, out var set) && set.Remove(action.Channel) && set.Count == 0)
                {
                    _channels.Remove(action.Topic);
                }

                break;
            case AdminActionKind.Tombstone:
                _tombstones[(action.Topic, action.Node)] = action.AtUnixMs;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action.Kind, "unknown admin action");
        }
    }

    /// <summary>The state as records, for a snapshot: tombstones already lapsed at <paramref name="nowUnixMs"/> are
    /// left out (and forgotten).</summary>
    public List<AdminAction> ToActions(long nowUnixMs, TimeSpan tombstoneLifetime)
    {
        DropLapsed(nowUnixMs, tombstoneLifetime);
        var actions = new List<AdminAction>(Count);
        actions.AddRange(_topics.Select(AdminAction.CreateTopic));
        actions.AddRange(Channels.Select(c => AdminAction.CreateChannel(c.Topic, c.Channel)));
        actions.AddRange(_tombstones.Select(t =>
            new AdminAction(AdminActionKind.Tombstone, t.Key.Topic, Node: t.Key.Node, AtUnixMs: t.Value)));
        return actions;
    }

    /// <summary>Forgets the tombstones whose lifetime ended by <paramref name="nowUnixMs"/>.</summary>
    public void DropLapsed(long nowUnixMs, TimeSpan tombstoneLifetime)
    {
        var lifetimeMs = (long)tombstoneLifetime.TotalMilliseconds;
        foreach (var key in _tombstones.Where(t => nowUnixMs - t.Value >= lifetimeMs).Select(t => t.Key).ToList())
        {
            _tombstones.Remove(key);
        }
    }

    private void RemoveTombstones(string topic)
    {
        foreach (var key in _tombstones.Keys.Where(k => k.Topic == topic).ToList())
        {
            _tombstones.Remove(key);
        }
    }

    private sealed class TopicNodeComparer : IComparer<(string Topic, string Node)>
    {
        public static readonly TopicNodeComparer Instance = new();

        public int Compare((string Topic, string Node) x, (string Topic, string Node) y)
        {
            var c = string.CompareOrdinal(x.Topic, y.Topic);
            return c != 0 ? c : string.CompareOrdinal(x.Node, y.Node);
        }
    }
}
