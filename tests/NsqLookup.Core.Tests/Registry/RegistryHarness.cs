using Microsoft.Extensions.Time.Testing;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>
/// A <see cref="RegistrationDB"/> on a fake clock, plus the DB calls the TCP protocol makes for IDENTIFY,
/// REGISTER and disconnect, so tests read like the wire sessions that the T-numbered statements of docs/protocol.md describe.
/// </summary>
internal sealed class RegistryHarness
{
    /// <summary>Arbitrary but fixed, so Unix-nanosecond values in <c>/debug</c> are predictable.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public RegistryHarness(TimeSpan? inactiveProducerTimeout = null, TimeSpan? tombstoneLifetime = null)
    {
        Db = new RegistrationDB(
            Clock,
            inactiveProducerTimeout ?? TimeSpan.FromSeconds(300),
            tombstoneLifetime ?? TimeSpan.FromSeconds(45));
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public RegistrationDB Db { get; }

    public static long UnixNanos(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>IDENTIFY: a new peer record, stamped now, added to <c>client::</c>.</summary>
    public PeerInfo Identify(string id, string broadcastAddress = "nsqd1.example", long tcpPort = 4150, long httpPort = 4151)
    {
        var peer = new IdentifyBody
        {
            BroadcastAddress = broadcastAddress,
            Hostname = "h1",
            TcpPort = tcpPort,
            HttpPort = httpPort,
            Version = "1.3.0",
        }.ToPeer(id);
        Db.Touch(peer);
        Db.AddProducer(Registration.Client, peer);
        return peer;
    }

    /// <summary>REGISTER: the channel (if any) and, always, the topic.</summary>
    public void Register(PeerInfo peer, string topic, string? channel = null)
    {
        if (channel is not null)
        {
            Db.AddProducer(Registration.Channel(topic, channel), peer);
        }

        Db.AddProducer(Registration.Topic(topic), peer);
    }

    /// <summary>Ids of the producers <c>/lookup</c> lists; null when the topic does not exist (404).</summary>
    public IReadOnlyList<string>? LookupIds(string topic) =>
        Db.Lookup(topic)?.Producers.Select(p => p.Id).ToList();

    public NodeRow? Node(PeerInfo peer) => Db.Nodes().SingleOrDefault(n => n.Peer.Id == peer.Id);

    /// <summary>The <c>/nodes</c> tombstone flag that belongs to <paramref name="topic"/> (same index).</summary>
    public bool TombstoneFlag(PeerInfo peer, string topic)
    {
        var node = Node(peer) ?? throw new InvalidOperationException($"{peer.Id} not in /nodes");
        var index = node.Topics.ToList().IndexOf(topic);
        if (index < 0)
        {
            throw new InvalidOperationException($"{topic} not in /nodes topics of {peer.Id}");
        }

        return node.Tombstones[index];
    }

    /// <summary>The entries <c>/debug</c> lists for the key (none for a key without entries or no key at all).</summary>
    public IReadOnlyList<DebugEntry> DebugEntries(string member) =>
        Db.Debug().SingleOrDefault(r => r.Name == member)?.Entries ?? [];

    public DebugEntry? DebugEntry(string member, PeerInfo peer) =>
        Db.Debug().SingleOrDefault(r => r.Name == member)?.Entries.SingleOrDefault(e => e.Peer.Id == peer.Id);
}
