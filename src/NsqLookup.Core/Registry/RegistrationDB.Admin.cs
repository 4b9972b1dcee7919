namespace NsqLookup.Registry;

/// <summary>What the HTTP admin routes do to the directory (<c>/topic/create</c>, <c>/channel/create</c>,
/// <c>/topic/delete</c>, <c>/channel/delete</c>; <c>/topic/tombstone</c> is in <c>RegistrationDB.Tombstones.cs</c>).</summary>
internal sealed partial class RegistrationDB
{
    /// <summary>Creates the key if absent (HTTP create); never touches producers. True when it was created.</summary>
    public bool AddRegistration(Registration r)
    {
        lock (_lock)
        {
            EnsureKey(r, out var created);
            return created;
        }
    }

    /// <summary>Many <see cref="AddRegistration"/>s in one lock hold (the <c>--data-path</c> restore): the name lists
    /// are built once and published at the end, so readers see all of the keys or none. Returns how many were
    /// created.</summary>
    public int AddRegistrations(IEnumerable<Registration> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_lock)
        {
            _topicNamesBatch = _topicNames.ToBuilder();
            _nodeNamesBatch = _nodeNames.ToBuilder();
            var created = 0;
            try
            {
                foreach (var r in keys)
                {
                    EnsureKey(r, out var isNew);
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
}
