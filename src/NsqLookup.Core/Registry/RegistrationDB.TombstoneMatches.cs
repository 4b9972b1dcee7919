namespace NsqLookup.Registry;

internal sealed partial class RegistrationDB
{
    /// <summary>How many entries <see cref="Tombstone"/> would stamp now, changing nothing: what <c>--data-path</c>
    /// asks before journaling a <c>/topic/tombstone</c>, whose change it applies only once its record is durable.</summary>
    public int TombstoneMatches(string topic, string node)
    {
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
                    count++;
                }
            }

            return count;
        }
    }
}
