using System.Collections.Immutable;

namespace NsqLookup.Registry;

/// <summary>
/// The keys: <c>client::</c> and the topic and channel keys filed by topic (<see cref="TopicNode"/>), with the
/// interned names they use (<see cref="NameTable"/>) and the immutable sorted name lists readers take without a
/// lock. The only code that creates or deletes a key or a topic node, so the name lists, the name table and the
/// channel-key count always agree with the keys. It never touches entries: a key is deleted only once empty.
/// Guarded by the registry lock; the name lists are published with a volatile write.
/// </summary>
internal sealed class KeyIndex
{
    private static readonly ImmutableSortedSet<string> NoNames = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    private readonly NameTable _names = new();
    private readonly Dictionary<string, TopicNode> _topics = new(StringComparer.Ordinal);
    private ImmutableSortedSet<string> _topicNames = NoNames;
    private ImmutableSortedSet<string> _nodeNames = NoNames;

    // During AddMany only: the two name lists being built, published once at its end (one immutable-set insert per
    // key made a large restore GC-bound).
    private ImmutableSortedSet<string>.Builder? _topicNamesBatch;
    private ImmutableSortedSet<string>.Builder? _nodeNamesBatch;

    public static ImmutableSortedSet<string> Empty => NoNames;

    public KeyNode? Client { get; private set; }

    /// <summary>Names with a topic key (<c>/topics</c>); replaced, never mutated, so readers need no lock.</summary>
    public ImmutableSortedSet<string> TopicNames => Volatile.Read(ref _topicNames);

    /// <summary>Names of every <see cref="TopicNode"/> (topic key or channel keys): what <c>/debug</c> and the pruning
    /// walk. Replaced, never mutated.</summary>
    public ImmutableSortedSet<string> NodeNames => Volatile.Read(ref _nodeNames);

    /// <summary>Channel keys across all topics.</summary>
    public int ChannelKeys { get; private set; }

    public TopicNode? Topic(string name) => _topics.TryGetValue(name, out var node) ? node : null;

    public KeyNode? Find(Registration r)
    {
        if (r.Category == Registration.ClientCategory)
        {
            return r.Key.Length == 0 && r.SubKey.Length == 0 ? Client : null;
        }

        if (!_topics.TryGetValue(r.Key, out var node))
        {
            return null;
        }

        return r.Category switch
        {
            Registration.TopicCategory when r.SubKey.Length == 0 => node.TopicKey,
            Registration.ChannelCategory => node.Channel(r.SubKey),
            _ => null,
        };
    }

    /// <summary>The key, created empty (empty since <paramref name="now"/>) if absent.</summary>
    public KeyNode Ensure(Registration r, long now, out bool created)
    {
        if (Find(r) is { } existing)
        {
            created = false;
            return existing;
        }

        created = true;
        if (r.Category == Registration.ClientCategory && r.Key.Length == 0 && r.SubKey.Length == 0)
        {
            return Client = new KeyNode(Registration.Client, null, now);
        }

        if (r.Category == Registration.TopicCategory && r.SubKey.Length == 0)
        {
            var node = EnsureTopic(r.Key);
            var key = new KeyNode(Registration.Topic(node.Name), node, now);
            node.SetTopicKey(key);
            AddName(ref _topicNames, _topicNamesBatch, node.Name);
            return key;
        }

        if (r.Category == Registration.ChannelCategory)
        {
            var node = EnsureTopic(r.Key);
            var channel = _names.Acquire(r.SubKey);
            var key = new KeyNode(Registration.Channel(node.Name, channel), node, now);
            node.AddChannel(channel, key);
            ChannelKeys++;
            return key;
        }

        throw new ArgumentException($"not a registration nsqlookupd keeps: {r}", nameof(r));
    }

    /// <summary>Many <see cref="Ensure"/>s with the name lists built once and published at the end, so readers see
    /// all of the keys or none. Returns how many were created.</summary>
    public int EnsureMany(IEnumerable<Registration> keys, long now)
    {
        _topicNamesBatch = _topicNames.ToBuilder();
        _nodeNamesBatch = _nodeNames.ToBuilder();
        var created = 0;
        try
        {
            foreach (var r in keys)
            {
                Ensure(r, now, out var isNew);
                created += isNew ? 1 : 0;
            }
        }
        finally
        {
            Volatile.Write(ref _topicNames, _topicNamesBatch.ToImmutable());
            Volatile.Write(ref _nodeNames, _nodeNamesBatch.ToImmutable());
            _topicNamesBatch = _nodeNamesBatch = null;
        }

        return created;
    }

    /// <summary>Deletes an empty key; the topic node goes with its last key.</summary>
    public void Remove(KeyNode key)
    {
        if (key.Count != 0)
        {
            throw new InvalidOperationException($"{key.Registration} still has {key.Count} entries");
        }

        if (key.Topic is not { } node)
        {
            Client = null;
            return;
        }

        if (key.Registration.IsTopic)
        {
            node.SetTopicKey(null);
            Volatile.Write(ref _topicNames, _topicNames.Remove(node.Name));
        }
        else
        {
            var channel = key.Registration.SubKey;
            node.RemoveChannel(channel);
            ChannelKeys--;
            _names.Release(channel);
        }

        if (node.IsEmpty)
        {
            _topics.Remove(node.Name);
            Volatile.Write(ref _nodeNames, _nodeNames.Remove(node.Name));
            _names.Release(node.Name);
        }
    }

    private TopicNode EnsureTopic(string topic)
    {
        if (!_topics.TryGetValue(topic, out var node))
        {
            node = new TopicNode(_names.Acquire(topic));
            _topics.Add(node.Name, node);
            AddName(ref _nodeNames, _nodeNamesBatch, node.Name);
        }

        return node;
    }

    private static void AddName(ref ImmutableSortedSet<string> names, ImmutableSortedSet<string>.Builder? batch, string name)
    {
        if (batch is not null)
        {
            batch.Add(name);
        }
        else
        {
            Volatile.Write(ref names, names.Add(name));
        }
    }
}
