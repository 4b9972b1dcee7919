namespace NsqLookup.Registry;

/// <summary>Sizes for the metrics gauges: counters kept under the lock by the entry and key primitives, so reading
/// them never scans.</summary>
internal sealed partial class RegistrationDB
{
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
