namespace NsqLookup.Registry;

/// <summary>Sizes for the metrics gauges: counters kept under the lock by the writers, so reading them never scans.</summary>
public sealed partial class RegistrationDB
{
    /// <summary>Channel keys across all topics.</summary>
    private int _channelKeys;

    /// <summary>Producer entries in topic keys.</summary>
    private int _topicEntries;

    /// <summary>Producer entries in channel keys.</summary>
    private int _channelEntries;

    /// <summary>The directory's sizes from one lock hold; O(1).</summary>
    public RegistryCounts Counts()
    {
        lock (_lock)
        {
            return new RegistryCounts(
                Producers: _peers.Count,
                Topics: _topicNames.Count,
                Channels: _channelKeys,
                ClientEntries: _clientKey?.Slots.Count ?? 0,
                TopicEntries: _topicEntries,
                ChannelEntries: _channelEntries);
        }
    }
}
