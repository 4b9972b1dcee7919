namespace NsqLookup.Registry;

internal sealed partial class RegistrationDB
{
    /// <summary>
    /// Opt-in cleanup of stale keys (upstream #1009, #1101; off by default): deletes every topic and channel key
    /// that has had no producer for at least <paramref name="grace"/>. The original never deletes a key once its
    /// last producer is gone, so deleted topics linger in <c>/topics</c> forever. <c>client::</c> is never
    /// touched. Walks the directory a few topics per lock hold, like a disconnect. Returns what it deleted.
    /// </summary>
    public IReadOnlyList<Registration> PruneEmptyKeys(TimeSpan grace)
    {
        const int topicsPerHold = 64;
        var names = Volatile.Read(ref _nodeNames).ToArray();
        var removed = new List<Registration>();
        for (var start = 0; start < names.Length; start += topicsPerHold)
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                foreach (var name in names.AsSpan(start, Math.Min(topicsPerHold, names.Length - start)))
                {
                    if (!_topicNodes.TryGetValue(name, out var node))
                    {
                        continue;
                    }

                    foreach (var key in node.Channels.Values.ToArray())
                    {
                        PruneIfStale(key, now, grace, removed);
                    }

                    if (node.TopicKey is { } topicKey)
                    {
                        PruneIfStale(topicKey, now, grace, removed);
                    }
                }
            }
        }

        return removed;
    }

    private void PruneIfStale(KeyNode key, long now, TimeSpan grace, List<Registration> removed)
    {
        if (key.Slots.Count == 0 && _time.GetElapsedTime(key.EmptySince, now) >= grace)
        {
            RemoveKey(key);
            removed.Add(key.Registration);
        }
    }
}
