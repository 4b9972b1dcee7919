using System.Collections.Concurrent;
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
/// <item><c>/nodes</c>: one row per peer record with its <see cref="NodeView.Version"/>; a poll is the rows written
/// back to back. Rows of peers no longer listed are dropped after the poll that finds the cache holding more rows
/// than it listed.</item>
/// </list>
/// Hits take no lock; every change of the kept entries and their byte counts is made under one lock.
/// </summary>
internal sealed class AnswerCache(RegistrationDB db)
{
    private readonly ProducerJson _producers = new();
    private readonly ConcurrentDictionary<string, CachedLookup> _lookups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PeerInfo, CachedRow> _rows = new();
    private readonly Lock _gate = new();
    private volatile CachedTopics? _topics;
    private long _lookupBytes;
    private long _rowBytes;
    private int _lookupCount;
    private int _rowCount;
    private int _refusedLookups;

    /// <summary>The most bytes of <c>/lookup</c> answers kept at once: a bound on what caching costs on a directory
    /// whose every topic is looked up; past it, answers are built each time.</summary>
    public long LookupBudget { get; init; } = 32L * 1024 * 1024;

    /// <summary>The most bytes of <c>/nodes</c> rows kept at once.</summary>
    public long NodesBudget { get; init; } = 64L * 1024 * 1024;

    /// <summary>The largest <c>/topics</c> answer kept.</summary>
    public long TopicsBudget { get; init; } = 32L * 1024 * 1024;

    public long LookupBytes
    {
        get
        {
            lock (_gate)
            {
                return _lookupBytes;
            }
        }
    }

    public long RowBytes
    {
        get
        {
            lock (_gate)
            {
                return _rowBytes;
            }
        }
    }

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

        if (Volatile.Read(ref _rowCount) > nodes.Count)
        {
            DropRowsNotIn(nodes);
        }

        return AnswerJson.Nodes(rows);
    }

    private byte[] Row(NodeView node)
    {
        if (node.Version != 0 && _rows.TryGetValue(node.Peer, out var cached) && cached.Version == node.Version)
        {
            return cached.Bytes;
        }

        var bytes = AnswerJson.NodeRow(node, _producers);
        if (node.Version != 0)
        {
            Keep(node.Peer, new CachedRow(node.Version, bytes));
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

    private void Keep(PeerInfo peer, CachedRow row)
    {
        lock (_gate)
        {
            var old = _rows.GetValueOrDefault(peer);
            if (old is not null && old.Version >= row.Version)
            {
                return; // a poll that raced this one kept the same row or a newer one
            }

            if (old is not null)
            {
                _rows.TryRemove(peer, out _);
                _rowBytes -= old.Bytes.Length;
                _rowCount--;
            }

            if (_rowBytes + row.Bytes.Length <= NodesBudget)
            {
                _rows[peer] = row;
                _rowBytes += row.Bytes.Length;
                _rowCount++;
            }
        }
    }

    private void DropRowsNotIn(IReadOnlyList<NodeView> nodes)
    {
        var listed = new HashSet<PeerInfo>(nodes.Count);
        foreach (var node in nodes)
        {
            listed.Add(node.Peer);
        }

        lock (_gate)
        {
            foreach (var (peer, row) in _rows)
            {
                if (!listed.Contains(peer) && _rows.TryRemove(KeyValuePair.Create(peer, row)))
                {
                    _rowBytes -= row.Bytes.Length;
                    _rowCount--;
                }
            }
        }
    }
}
