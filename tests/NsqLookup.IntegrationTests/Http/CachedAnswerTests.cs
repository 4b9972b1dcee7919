using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>
/// <c>/nodes</c> rows and <c>/lookup</c> answers are encoded once and reused until what they show changes: every
/// change a client can make must show in the very next answer, byte for byte what a fresh encoding gives.
/// </summary>
public sealed class CachedAnswerTests(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private Task<TestDaemon> StartAsync() => TestDaemon.StartAsync(
        output, o => o with { TombstoneLifetime = TimeSpan.FromSeconds(45), InactiveProducerTimeout = TimeSpan.FromSeconds(300) }, _clock);

    [Fact]
    public async Task NodesRows_FollowEveryChangeOfAPeersTopicsAndTombstones()
    {
        await using var daemon = await StartAsync();
        var a = Seed(daemon, "127.0.0.1:50001", Body("a"), "t1", "t2/c");
        var b = Seed(daemon, "127.0.0.1:50002", Body("b"), "t1");
        var db = daemon.App.Registry;

        (await Rows(daemon)).Should().Equal("a:t1=False,t2=False", "b:t1=False");
        (await Rows(daemon)).Should().Equal("a:t1=False,t2=False", "b:t1=False");

        Register(daemon, a, "t3");
        (await Rows(daemon)).Should().Equal("a:t1=False,t2=False,t3=False", "b:t1=False");

        db.UnregisterTopic("t1", a.Id);
        (await Rows(daemon)).Should().Equal("a:t2=False,t3=False", "b:t1=False");

        db.UnregisterChannel("t2", "c", a.Id); // a channel entry is not in the row
        (await Rows(daemon)).Should().Equal("a:t2=False,t3=False", "b:t1=False");

        (await PostAsync(daemon, "/topic/tombstone?topic=t1&node=nsqd1.example:4151")).Status.Should().Be(200);
        (await Rows(daemon)).Should().Equal("a:t2=False,t3=False", "b:t1=True");
        _clock.Advance(TimeSpan.FromSeconds(46));
        (await Rows(daemon)).Should().Equal("a:t2=False,t3=False", "b:t1=False");

        (await PostAsync(daemon, "/topic/delete?topic=t3")).Status.Should().Be(200);
        (await Rows(daemon)).Should().Equal("a:t2=False", "b:t1=False");

        db.ReleasePeer(db.DetachPeer(a.Id)!);
        (await Rows(daemon)).Should().Equal("b:t1=False");

        // A new connection that reuses the port gets its own row, not the old one's cached bytes.
        Seed(daemon, "127.0.0.1:50001", Body("again"), "t9");
        (await Rows(daemon)).Should().BeEquivalentTo("again:t9=False", "b:t1=False");
    }

    [Fact]
    public async Task Nodes_AnswerManyLargeRowsWithAnExactLength()
    {
        await using var daemon = await StartAsync();
        var topics = Enumerable.Range(0, 3000).Select(i => $"topic-{i:D5}").ToArray();
        for (var p = 0; p < 5; p++)
        {
            Seed(daemon, $"127.0.0.1:{50001 + p}", Body($"h{p}"), topics);
        }

        var reply = await GetAsync(daemon, "/nodes");
        reply.Status.Should().Be(200);
        reply.Headers["Content-Length"].Should().Be(reply.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var json = JsonDocument.Parse(reply.Body);
        var producers = json.RootElement.GetProperty("producers").EnumerateArray().ToArray();
        producers.Should().HaveCount(5);
        producers.Should().OnlyContain(p => Strings(p.GetProperty("topics")).SequenceEqual(topics));
    }

    [Fact]
    public async Task LookupAnswers_FollowProducersTombstonesChannelsInactivityAndDisconnects()
    {
        await using var daemon = await StartAsync();
        var a = Seed(daemon, "127.0.0.1:50001", Body("a"), "t/c1");
        var db = daemon.App.Registry;

        (await Lookup(daemon)).Should().Be("c1|a");
        (await Lookup(daemon)).Should().Be("c1|a");

        var b = Seed(daemon, "127.0.0.1:50002", Body("b") with { BroadcastAddress = "b.example" }, "t");
        (await Lookup(daemon)).Should().Be("c1|a,b");

        Register(daemon, b, "t/c2");
        (await Lookup(daemon)).Should().Be("c1,c2|a,b");

        (await PostAsync(daemon, "/topic/tombstone?topic=t&node=b.example:4151")).Status.Should().Be(200);
        (await Lookup(daemon)).Should().Be("c1,c2|a");
        _clock.Advance(TimeSpan.FromSeconds(46));
        (await Lookup(daemon)).Should().Be("c1,c2|a,b");

        db.Touch(b);
        _clock.Advance(TimeSpan.FromSeconds(260)); // a last pinged 306 s ago, b 260 s ago
        (await Lookup(daemon)).Should().Be("c1,c2|b");
        db.Touch(a);
        (await Lookup(daemon)).Should().Be("c1,c2|a,b");

        db.DetachPeer(b.Id);
        (await Lookup(daemon)).Should().Be("c1,c2|a");

        (await PostAsync(daemon, "/channel/delete?topic=t&channel=c2")).Status.Should().Be(200);
        (await Lookup(daemon)).Should().Be("c1|a");
    }

    /// <summary><c>/lookup?topic=t</c> as <c>channels|hostnames</c>, hostnames sorted.</summary>
    private static async Task<string> Lookup(TestDaemon daemon)
    {
        var json = await GetJsonAsync(daemon, "/lookup?topic=t");
        return string.Join(",", Strings(json.GetProperty("channels")).Order(StringComparer.Ordinal)) + "|"
            + string.Join(",", json.GetProperty("producers").EnumerateArray().Select(p => p.GetProperty("hostname").GetString()).Order(StringComparer.Ordinal));
    }

    /// <summary>Each <c>/nodes</c> row as <c>hostname:topic=tombstoned,...</c>, rows sorted by hostname.</summary>
    private static async Task<string[]> Rows(TestDaemon daemon) =>
    [
        .. (await NodesAsync(daemon))
            .Select(n => n.GetProperty("hostname").GetString() + ":" + string.Join(",", Strings(n.GetProperty("topics"))
                .Zip(n.GetProperty("tombstones").EnumerateArray(), (t, f) => $"{t}={f.GetBoolean()}")
                .Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal),
    ];
}
