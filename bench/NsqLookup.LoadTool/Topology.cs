using System.Text;

namespace NsqLookup.LoadTool;

/// <summary>The names the simulated producers register: every producer has the same topics and channels.</summary>
internal sealed class Topology
{
    public Topology(int topics, int channels)
    {
        TopicNames = Enumerable.Range(0, topics).Select(t => $"bench-t{t:D5}").ToArray();
        ChannelNames = Enumerable.Range(0, channels).Select(c => $"c{c}").ToArray();
        Topics = TopicNames.Select(Encoding.ASCII.GetBytes).ToArray();
        Channels = ChannelNames.Select(Encoding.ASCII.GetBytes).ToArray();
    }

    public IReadOnlyList<string> TopicNames { get; }

    public IReadOnlyList<string> ChannelNames { get; }

    public IReadOnlyList<byte[]> Topics { get; }

    public IReadOnlyList<byte[]> Channels { get; }

    /// <summary>REGISTERs per producer: what nsqd sends when a topic and then its channels are created at runtime
    /// (<c>REGISTER t</c>, then <c>REGISTER t c</c> per channel, as nsqd/lookup.go's <c>lookupLoop</c> sends
    /// them).</summary>
    public long RegistersPerProducer => Topics.Count * (1L + Channels.Count);

    /// <summary>The simulated nsqd's own address as it would broadcast it.</summary>
    public static string BroadcastAddress(string role, int index) => $"{role}-{index:D4}.bench";
}
