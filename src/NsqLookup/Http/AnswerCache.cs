using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using NsqLookup.Registry;

namespace NsqLookup.Http;

/// <summary>
/// The encoded answers of <c>/topics</c>, <c>/lookup</c> and <c>/nodes</c>, kept while the registry says they are
/// current, within a byte budget per kind (so one kind cannot crowd out another). The registry knows nothing of
/// them: it returns data with version stamps, and a hit is an answer whose stamp the registry confirms.
/// <list type="bullet">
/// <item><c>/topics</c>: the registry's list instance is its version; one answer is kept.</item>
/// <item><c>/lookup</c>: one answer per topic with its <see cref="LookupStamp"/>, handed back on the next lookup; a
/// hit costs the registry O(1) plus a check per listed producer. An answer that is no longer current is dropped
/// when its topic is looked up again; when the budget is full, the stale ones are looked for and dropped, at most
/// one sweep per as many refused answers as there are entries (amortised O(1) per refusal).</item>
/// <item><c>/nodes</c>: rows are kept by the registry, not here (<see cref="NodeRow.IsKept"/>: the same instance until
/// the row changes); this cache only attaches each kept row's encoding to the row instance, so it lives exactly as
/// long as the registry keeps the row and needs no version, no index and no budget of its own. A poll is the rows
/// written back to back.</item>
/// </list>
/// Hits take no lock; every change of the kept entries and their byte counts is made under one lock.
/// </summary>
internal sealed class AnswerCache(RegistrationDB db)
{
    private readonly ProducerJson _producers = new();
    private readonly ConcurrentDictionary<string, CachedLookup> _lookups = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<NodeRow, byte[]> _rows = new();
    private readonly Lock _gate = new();
    private volatile CachedTopics? _topics;
    private long _lookupBytes;
    private int _lookupCount;
    private int _refusedLookups;

    /// <summary>The most bytes of <c>/lookup</c> answers kept at once: a bound on what caching costs on a directory
    /// whose every topic is looked up; past it, answers are built each time.</summary>
    public long LookupBudget { get; init; } = 32L * 1024 * 1024;

    /// <summary>The largest <c>/topics</c> answer kept.</summary>
    public long TopicsBudget { get; init; } = 32L * 1024 * 1024;

    public JsonBody Topics()
    {
        var topics = db.Topics();
        if (_topics is { } cached && ReferenceEquals(cached.Source, topics))
        {
            return cached.Body;
        }

        var body = AnswerJson.Topics(topics);
        if (body.Length <= TopicsBudget)
        {
            _topics = new CachedTopics(topics, body);
        }

        return body;
    }

    /// <summary>The <c>/lookup</c> answer; null when the topic key does not exist.</summary>
    public JsonBody? Lookup(string topic)
    {
        _lookups.TryGetValue(topic, out var known);
        if (db.Lookup(topic, known?.Stamp) is not { } result)
        {
            if (known is not null)
            {
                Forget(topic, known);
            }

            return null;
        }

        if (known is not null && ReferenceEquals(result.Stamp, known.Stamp))
        {
            return known.Body;
        }

        var body = AnswerJson.Lookup(result, _producers);
        if (known is not null)
        {
            Forget(topic, known);
        }

        if (result.Stamp is { } stamp)
        {
            Keep(topic, new CachedLookup(stamp, body));
        }

        return body;
    }

    public JsonBody Nodes()
    {
        var nodes = db.Nodes();
        var rows = new ReadOnlyMemory<byte>[nodes.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = Row(nodes[i]);
        }

        return AnswerJson.Nodes(rows);
    }

    private byte[] Row(NodeRow node)
    {
        if (node.IsKept && _rows.TryGetValue(node, out var kept))
        {
            return kept;
        }

        var bytes = AnswerJson.NodeRow(node, _producers);
        if (node.IsKept)
        {
            _rows.TryAdd(node, bytes); // a poll racing this one may have added the same encoding first
        }

        return bytes;
    }

    private void Keep(string topic, CachedLookup entry)
    {
        var size = entry.Body.Length;
        lock (_gate)
        {
            if (_lookupBytes + size > LookupBudget && !SweepLookups(size))
            {
                return;
            }

            if (_lookups.TryAdd(topic, entry))
            {
                _lookupBytes += size;
                _lookupCount++;
            }
        }
    }

    private void Forget(string topic, CachedLookup entry)
    {
        lock (_gate)
        {
            if (_lookups.TryRemove(KeyValuePair.Create(topic, entry)))
            {
                _lookupBytes -= entry.Body.Length;
                _lookupCount--;
            }
        }
    }

    /// <summary>Under the gate, with the budget full: drops the answers the registry no longer confirms, once per as
    /// many refusals as there are entries. True when <paramref name="size"/> more bytes now fit.</summary>
    private bool SweepLookups(long size)
    {
        if (++_refusedLookups < _lookupCount)
        {
            return false;
        }

        _refusedLookups = 0;
        foreach (var (topic, entry) in _lookups)
        {
            if (!db.IsCurrent(entry.Stamp) && _lookups.TryRemove(KeyValuePair.Create(topic, entry)))
            {
                _lookupBytes -= entry.Body.Length;
                _lookupCount--;
            }
        }

        return _lookupBytes + size <= LookupBudget;
    }

    /// <summary>An encoded <c>/lookup</c> answer and the registry's version stamp of the answer it encodes. Compared by
    /// reference: the cache removes exactly the entry it looked at.</summary>
    private sealed class CachedLookup(LookupStamp stamp, JsonBody body)
    {
        public LookupStamp Stamp { get; } = stamp;

        public JsonBody Body { get; } = body;
    }

    /// <summary>The encoded <c>/topics</c> answer and the registry's list it encodes, which is its own version stamp
    /// (the registry hands out the same instance until a topic key comes or goes).</summary>
    private sealed class CachedTopics(IReadOnlyList<string> source, JsonBody body)
    {
        public IReadOnlyList<string> Source { get; } = source;

        public JsonBody Body { get; } = body;
    }
}
