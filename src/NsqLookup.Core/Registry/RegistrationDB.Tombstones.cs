namespace NsqLookup.Registry;

/// <summary>HTTP <c>/topic/tombstone</c> and the tombstone primitives: the only code that sets or forgets a
/// tombstone stamp, and with it the peer's count of tombstoned entries.</summary>
internal sealed partial class RegistrationDB
{
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
                    MarkTombstone(key, state, stamp, restamp: true);
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>Stamps the peer's entry in the topic key <paramref name="key"/>; an entry already tombstoned keeps its
    /// stamp unless <paramref name="restamp"/>. Either way the topic's <c>/lookup</c> answer changes.</summary>
    private static void MarkTombstone(KeyNode key, PeerState state, TombstoneStamp stamp, bool restamp)
    {
        key.Tombstones ??= [];
        if (key.Tombstones.TryAdd(state.Slot, stamp))
        {
            state.Tombstoned++;
        }
        else if (restamp)
        {
            key.Tombstones[state.Slot] = stamp;
        }

        LookupChanged(key.Topic);
    }

    /// <summary>The entry leaves <paramref name="key"/>: so does its tombstone, if it has one.</summary>
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
}
