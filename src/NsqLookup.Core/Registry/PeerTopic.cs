namespace NsqLookup.Registry;

/// <summary>One peer's entries under one topic name: whether it is in the topic key, and which channel keys
/// (a handful) it is in. Guarded by the DB lock.</summary>
internal sealed class PeerTopic
{
    private KeyNode[]? _channels;
    private int _count;

    public bool InTopicKey { get; set; }

    public bool IsEmpty => !InTopicKey && _count == 0;

    public ReadOnlySpan<KeyNode> Channels => _channels.AsSpan(0, _count);

    public void AddChannel(KeyNode key)
    {
        if (_channels is null || _count == _channels.Length)
        {
            Array.Resize(ref _channels, Math.Max(4, _count * 3 / 2));
        }

        _channels[_count++] = key;
    }

    public void RemoveChannel(KeyNode key)
    {
        var i = Array.IndexOf(_channels!, key, 0, _count);
        _channels![i] = _channels[--_count];
        _channels[_count] = null!;
    }
}
