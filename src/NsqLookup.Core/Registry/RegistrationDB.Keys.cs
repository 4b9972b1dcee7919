using System.Collections.Immutable;

namespace NsqLookup.Registry;

/// <summary>The key primitives: the only code that creates or deletes a key or a topic node, and with it the
/// name lists, the channel-key count, the topic's version and the key's empty-since stamp.</summary>
internal sealed partial class RegistrationDB
{
    private KeyNode? FindKey(Registration r)
    {
        if (r.Category == Registration.ClientCategory)
        {
            return r.Key.Length == 0 && r.SubKey.Length == 0 ? _clientKey : null;
        }

        if (!_topicNodes.TryGetValue(r.Key, out var node))
        {
            return null;
        }

        return r.Category switch
        {
            Registration.TopicCategory when r.SubKey.Length == 0 => node.TopicKey,
            Registration.ChannelCategory => node.Channels.GetValueOrDefault(r.SubKey),
            _ => null,
        };
    }

    /// <summary>The key, created empty (empty since now) if absent.</summary>
    private KeyNode EnsureKey(Registration r, out bool created)
    {
        if (FindKey(r) is { } existing)
        {
            created = false;
            return existing;
        }

        created = true;
        var key = CreateKey(r);
        key.EmptySince = _time.GetTimestamp();
        return key;
    }

    private KeyNode CreateKey(Registration r)
    {
        if (r.Category == Registration.ClientCategory && r.Key.Length == 0 && r.SubKey.Length == 0)
        {
            return _clientKey = new KeyNode(Registration.Client, null);
        }

        if (r.Category == Registration.TopicCategory && r.SubKey.Length == 0)
        {
            var node = EnsureTopicNode(r.Key);
            node.TopicKey = new KeyNode(Registration.Topic(node.Name), node);
            AddName(ref _topicNames, _topicNamesBatch, node.Name);
            LookupChanged(node);
            return node.TopicKey;
        }

        if (r.Category == Registration.ChannelCategory)
        {
            var node = EnsureTopicNode(r.Key);
            var channel = _names.Acquire(r.SubKey);
            var key = new KeyNode(Registration.Channel(node.Name, channel), node);
            node.Channels.Add(channel, key);
            node.ChannelNames = node.ChannelNames.Add(channel);
            _channelKeys++;
            LookupChanged(node);
            return key;
        }

        throw new ArgumentException($"not a registration nsqlookupd keeps: {r}", nameof(r));
    }

    private TopicNode EnsureTopicNode(string topic)
    {
        if (!_topicNodes.TryGetValue(topic, out var node))
        {
            node = new TopicNode(_names.Acquire(topic));
            _topicNodes.Add(node.Name, node);
            AddName(ref _nodeNames, _nodeNamesBatch, node.Name);
        }

        return node;
    }

    /// <summary>Deletes a key with all its entries (and their tombstones); the topic node goes when its last key
    /// does, and a topic key takes the topic's restored tombstones with it.</summary>
    private void RemoveKey(KeyNode key)
    {
        foreach (var slot in key.Slots)
        {
            var state = _slots[slot]!;
            ForgetTombstone(key, state);
            Unlink(key, state);
        }

        key.Slots.Clear();
        key.Tombstones = null;
        if (key.Topic is not { } node)
        {
            _clientKey = null;
            return;
        }

        LookupChanged(node);

        if (key.Registration.IsTopic)
        {
            ForgetRestoredTombstones(node.Name);
            node.TopicKey = null;
            Volatile.Write(ref _topicNames, _topicNames.Remove(node.Name));
        }
        else
        {
            var channel = key.Registration.SubKey;
            node.Channels.Remove(channel);
            node.ChannelNames = node.ChannelNames.Remove(channel);
            _channelKeys--;
            _names.Release(channel);
        }

        if (node.IsEmpty)
        {
            _topicNodes.Remove(node.Name);
            Volatile.Write(ref _nodeNames, _nodeNames.Remove(node.Name));
            _names.Release(node.Name);
        }
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

    /// <summary>What <c>/lookup</c> answers for this topic changed: every stamp taken before is stale.</summary>
    private static void LookupChanged(TopicNode? node)
    {
        if (node is not null)
        {
            node.LookupVersion++;
        }
    }
}
