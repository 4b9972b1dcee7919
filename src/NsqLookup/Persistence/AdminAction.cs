using NsqLookup.Registry;

namespace NsqLookup.Persistence;

/// <summary>One acknowledged admin action as the journal keeps it. <see cref="Channel"/> is set for the channel
/// kinds, <see cref="Node"/> (<c>broadcast_address:http_port</c>) and <see cref="AtUnixMs"/> (wall clock) for
/// <see cref="AdminActionKind.Tombstone"/>; the rest are empty.</summary>
internal sealed record AdminAction(AdminActionKind Kind, string Topic, string Channel = "", string Node = "", long AtUnixMs = 0)
{
    public static AdminAction CreateTopic(string topic) => new(AdminActionKind.CreateTopic, topic);

    public static AdminAction DeleteTopic(string topic) => new(AdminActionKind.DeleteTopic, topic);

    public static AdminAction CreateChannel(string topic, string channel) => new(AdminActionKind.CreateChannel, topic, channel);

    public static AdminAction DeleteChannel(string topic, string channel) => new(AdminActionKind.DeleteChannel, topic, channel);

    public static AdminAction Tombstone(string topic, string node, DateTimeOffset at) =>
        new(AdminActionKind.Tombstone, topic, Node: node, AtUnixMs: at.ToUnixTimeMilliseconds());

    /// <summary>What pruning removed, as records: a topic key or a channel key each (<c>client::</c> is never pruned).</summary>
    public static IReadOnlyList<AdminAction> Pruned(IReadOnlyList<Registration> removed)
    {
        ArgumentNullException.ThrowIfNull(removed);
        var actions = new List<AdminAction>(removed.Count);
        foreach (var r in removed)
        {
            if (r.IsTopic)
            {
                actions.Add(new AdminAction(AdminActionKind.PruneTopic, r.Key));
            }
            else if (r.Category == Registration.ChannelCategory)
            {
                actions.Add(DeleteChannel(r.Key, r.SubKey));
            }
        }

        return actions;
    }
}
