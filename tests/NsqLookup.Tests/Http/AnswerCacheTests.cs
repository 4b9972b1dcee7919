using System.Text;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Http;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Tests.Http;

/// <summary>
/// The HTTP side's store of encoded answers, without a daemon: a kept answer comes back (the same bytes) only while
/// the registry's stamp says it is current, is byte for byte what a fresh encoding gives, and the kept bytes stay
/// within each budget. (Every change a client can make is followed end to end in <see cref="CachedAnswerTests"/>.)
/// </summary>
public sealed class AnswerCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RegistrationDB _db;

    public AnswerCacheTests() => _db = new RegistrationDB(_clock, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(45));

    [Fact]
    public void AKeptLookupAnswer_IsServedUntilTheTopicChangesAndMatchesAFreshEncoding()
    {
        var cache = new AnswerCache(_db);
        var p = Peer("10.0.0.1:1000", "h1");
        Register(p, "t", "c");

        var first = cache.Lookup("t");
        cache.Lookup("t").Should().BeSameAs(first);
        Text(first).Should().Be(Text(new AnswerCache(_db).Lookup("t")));

        Register(Peer("10.0.0.2:1000", "h2"), "t");
        var second = cache.Lookup("t");
        second.Should().NotBeSameAs(first, "a producer joined");
        Text(second).Should().Be(Text(new AnswerCache(_db).Lookup("t")));
        Text(second).Should().Contain("\"hostname\":\"h2\"");
        cache.Lookup("t").Should().BeSameAs(second, "the new answer is kept in place of the stale one");

        _db.DeleteTopic("t");
        cache.Lookup("t").Should().BeNull();
    }

    [Fact]
    public void StoredAnswers_StayWithinTheByteBudget()
    {
        var p = Peer("10.0.0.1:1000", "h");
        foreach (var t in new[] { "a", "b", "c" })
        {
            Register(p, t);
        }

        var size = new AnswerCache(_db).Lookup("a")!.Length;
        var cache = new AnswerCache(_db) { LookupBudget = size + (size / 2) };

        var a = cache.Lookup("a");
        var b = cache.Lookup("b");
        cache.Lookup("a").Should().BeSameAs(a);
        cache.Lookup("b").Should().NotBeSameAs(b, "two answers are over a budget of one and a half");

        _db.AddProducer(Registration.Channel("a", "x"), p); // "a" changes: its bytes may be given back
        b = cache.Lookup("b");
        cache.Lookup("b").Should().BeSameAs(b, "the stale answer's bytes were given back, so b fits the budget");
    }

    [Fact]
    public void NodesRowsKeptByTheRegistry_AreReusedUntilTheyChange()
    {
        var cache = new AnswerCache(_db);
        var p = Peer("10.0.0.1:1000", "h1");
        var q = Peer("10.0.0.2:1000", "h2");
        Register(p, "t1");
        Register(q, "t2");

        var first = cache.Nodes();
        Text(first).Should().Be(Text(new AnswerCache(_db).Nodes()));
        Text(cache.Nodes()).Should().Be(Text(first));

        Register(p, "t3");
        Text(cache.Nodes()).Should().Be(Text(new AnswerCache(_db).Nodes())).And.Contain("\"t3\"");

        _db.Tombstone("t2", "nsqd.example:4151");
        Text(cache.Nodes()).Should().Be(Text(new AnswerCache(_db).Nodes())).And.Contain("true");

        _db.DetachPeer(q.Id);
        Text(cache.Nodes()).Should().Be(Text(new AnswerCache(_db).Nodes())).And.NotContain("h2");
    }

    [Fact]
    public void TheTopicsAnswer_IsKeptUntilATopicComesOrGoes()
    {
        var cache = new AnswerCache(_db);
        var p = Peer("10.0.0.1:1000", "h1");
        Register(p, "t1");
        var first = cache.Topics();
        cache.Topics().Should().BeSameAs(first);

        Register(p, "t1", "c"); // a channel is not a topic: same answer
        cache.Topics().Should().BeSameAs(first);

        Register(p, "t2");
        Text(cache.Topics()).Should().Be("{\"topics\":[\"t1\",\"t2\"]}");
    }

    [Fact]
    public async Task ReadersRacingWriters_LeaveNoStaleAnswerAndTheKeptBytesWithinBudget()
    {
        var cache = new AnswerCache(_db) { LookupBudget = 4096 };
        var peers = Enumerable.Range(0, 4).Select(i => Peer($"10.0.0.{i + 1}:1000", $"h{i}")).ToArray();
        var topics = Enumerable.Range(0, 4).Select(i => $"t{i}").ToArray();
        foreach (var peer in peers)
        {
            Register(peer, topics[0]);
        }

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 4000; i++)
            {
                var peer = peers[i % 4];
                var topic = topics[i / 4 % 4];
                if (i / 16 % 2 == 0)
                {
                    Register(peer, topic);
                }
                else
                {
                    _db.UnregisterTopic(topic, peer.Id);
                }
            }
        });
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            for (var j = 0; j < 3000; j++)
            {
                cache.Lookup(topics[(j + r) % 4]);
                if (j % 8 == 0)
                {
                    cache.Nodes();
                    cache.Topics();
                }
            }
        }));
        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(120));

        foreach (var topic in topics)
        {
            Text(cache.Lookup(topic)).Should().Be(Text(new AnswerCache(_db).Lookup(topic)), topic);
            Text(cache.Lookup(topic)).Should().Be(Text(new AnswerCache(_db).Lookup(topic)), $"{topic}, a hit");
        }

        Text(cache.Nodes()).Should().Be(Text(new AnswerCache(_db).Nodes()));
        Text(cache.Topics()).Should().Be(Text(new AnswerCache(_db).Topics()));
    }

    private PeerInfo Peer(string id, string hostname)
    {
        var peer = new IdentifyBody
        {
            BroadcastAddress = "nsqd.example",
            Hostname = hostname,
            TcpPort = 4150,
            HttpPort = 4151,
            Version = "1.3.0",
        }.ToPeer(id);
        _db.Touch(peer);
        _db.AddProducer(Registration.Client, peer);
        return peer;
    }

    private void Register(PeerInfo peer, string topic, string? channel = null)
    {
        if (channel is not null)
        {
            _db.AddProducer(Registration.Channel(topic, channel), peer);
        }

        _db.AddProducer(Registration.Topic(topic), peer);
    }

    private static string Text(JsonBody? body)
    {
        body.Should().NotBeNull();
        return Encoding.UTF8.GetString(body!.ToArray());
    }
}
