using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Benchmarks;

/// <summary>A directory loaded like the load tool loads the daemon: every producer in the client key, every topic
/// and every topic's channels (producers × (1 + topics × (1 + channels)) entries), all producers active.</summary>
internal static class RegistryFixture
{
    public const int Channels = 5;

    public static string Topic(int t) => $"bench-t{t:D5}";

    public static PeerInfo Peer(int i) => new IdentifyBody
    {
        BroadcastAddress = $"nsqd-{i:D4}.bench",
        Hostname = $"nsqd-{i:D4}.bench",
        TcpPort = 4150,
        HttpPort = 4151,
        Version = "1.3.0",
    }.ToPeer($"127.0.0.1:{20000 + i}");

    public static RegistrationDB Create(int producers, int topics, out PeerInfo[] peers)
    {
        var db = new RegistrationDB(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45));
        peers = new PeerInfo[producers];
        for (var p = 0; p < producers; p++)
        {
            peers[p] = Peer(p);
            Register(db, peers[p], topics);
        }

        return db;
    }

    /// <summary>What one nsqd's IDENTIFY and REGISTERs do to the directory.</summary>
    public static void Register(RegistrationDB db, PeerInfo peer, int topics)
    {
        db.AddProducer(Registration.Client, peer);
        db.Touch(peer);
        for (var t = 0; t < topics; t++)
        {
            var topic = Topic(t);
            db.AddProducer(Registration.Topic(topic), peer);
            for (var c = 0; c < Channels; c++)
            {
                db.AddProducer(Registration.Channel(topic, $"c{c}"), peer);
            }
        }
    }
}
