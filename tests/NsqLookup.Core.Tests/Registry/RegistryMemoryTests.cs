using NsqLookup.Registry;
using Xunit.Abstractions;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>Runs alone: <see cref="GC.GetTotalMemory(bool)"/> counts the whole process heap.</summary>
[CollectionDefinition(nameof(RegistryMemoryCollection), DisableParallelization = true)]
public sealed class RegistryMemoryCollection;

/// <summary>
/// Retained heap per producer entry at the scale of the "Scale" issue: 100 nsqd × 1,000 topics × 5 channels
/// (600,100 entries), loaded the way the protocol does it, with fresh name strings on every REGISTER.
/// </summary>
[Collection(nameof(RegistryMemoryCollection))]
public sealed class RegistryMemoryTests(ITestOutputHelper output)
{
    private const int Peers = 100;
    private const int TopicCount = 1_000;
    private const int ChannelsPerTopic = 5;

    [Fact]
    public void ALargeDirectory_CostsAtMost100BytesPerEntry()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var h = new RegistryHarness();
        for (var p = 0; p < Peers; p++)
        {
            var peer = h.Identify($"10.0.{p / 250}.{p % 250}:4150", broadcastAddress: $"nsqd{p}");
            for (var t = 0; t < TopicCount; t++)
            {
                for (var c = 0; c < ChannelsPerTopic; c++)
                {
                    // New strings each time, as the protocol decodes them from the wire.
                    h.Register(peer, string.Concat("topic-", t.ToString(System.Globalization.CultureInfo.InvariantCulture)), "channel-" + c);
                }
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        const int entries = Peers + (Peers * TopicCount * (1 + ChannelsPerTopic));
        var perEntry = (double)(after - before) / entries;
        output.WriteLine($"{entries:N0} entries, {(after - before) / 1024.0 / 1024.0:F1} MiB, {perEntry:F1} B/entry");
        GC.KeepAlive(h);

        perEntry.Should().BeLessThanOrEqualTo(100);
    }
}
