using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Registry;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>T68–T76, HTTP side.</summary>
public sealed class TombstoneTests(ITestOutputHelper output)
{
    private const string Tombstone = "/topic/tombstone?topic=t&node=nsqd1.example:4151";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private Task<TestDaemon> StartAsync() =>
        TestDaemon.StartAsync(output, o => o with { TombstoneLifetime = TimeSpan.FromSeconds(1) }, _clock);

    [Fact]
    public async Task T68_Tombstone_HidesProducerOfThatTopicOnly()
    {
        await using var daemon = await StartAsync();
        Seed(daemon, "t", "u");

        var reply = await PostAsync(daemon, Tombstone);

        reply.Status.Should().Be(200);
        reply.Body.Should().BeEmpty();
        (await LookupProducersAsync(daemon, "t")).Should().BeEmpty();
        (await LookupProducersAsync(daemon, "u")).Should().HaveCount(1);
    }

    [Fact]
    public async Task T69_Nodes_ListsTombstonedPeer_WithFlagAtTopicIndex()
    {
        await using var daemon = await StartAsync();
        Seed(daemon, "t", "u", "v");
        await PostAsync(daemon, Tombstone);

        var node = (await NodesAsync(daemon)).Should().ContainSingle().Subject;

        var flags = Flags(node);
        flags.Should().HaveCount(3);
        flags["t"].Should().BeTrue();
        flags["u"].Should().BeFalse();
        flags["v"].Should().BeFalse();
    }

    [Fact]
    public async Task T70_AfterLifetime_ProducerIsBack_FlagFalse_DebugStillTombstoned()
    {
        await using var daemon = await StartAsync();
        Seed(daemon, "t");
        await PostAsync(daemon, Tombstone);
        (await LookupProducersAsync(daemon, "t")).Should().BeEmpty();

        _clock.Advance(TimeSpan.FromMilliseconds(1100));

        (await LookupProducersAsync(daemon, "t")).Should().HaveCount(1);
        Flags((await NodesAsync(daemon)).Single())["t"].Should().BeFalse();
        var debug = await GetJsonAsync(daemon, "/debug");
        debug.GetProperty("topic:t:")[0].GetProperty("tombstoned").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task T71_RegisterWhileTombstoned_DoesNotBringItBack()
    {
        await using var daemon = await StartAsync();
        var peer = Seed(daemon, "t");
        await PostAsync(daemon, Tombstone);

        Register(daemon, peer, "t");
        _clock.Advance(TimeSpan.FromMilliseconds(500));

        (await LookupProducersAsync(daemon, "t")).Should().BeEmpty();
    }

    [Fact]
    public async Task T72_UnregisterThenRegister_ReappearsImmediately()
    {
        await using var daemon = await StartAsync();
        var peer = Seed(daemon, "t");
        await PostAsync(daemon, Tombstone);

        daemon.App.Registry.UnregisterTopic("t", peer.Id);
        Register(daemon, peer, "t");

        (await LookupProducersAsync(daemon, "t")).Should().HaveCount(1);
    }

    [Fact]
    public async Task T73_NodeWithTcpPort_TombstonesNothing_Still200()
    {
        await using var daemon = await StartAsync();
        Seed(daemon, "t");

        var reply = await PostAsync(daemon, "/topic/tombstone?topic=t&node=nsqd1.example:4150");

        reply.Status.Should().Be(200);
        (await LookupProducersAsync(daemon, "t")).Should().HaveCount(1);
    }

    [Fact]
    public async Task T74_TombstoneOfUnknownTopic_Is200()
    {
        await using var daemon = await StartAsync();

        var reply = await PostAsync(daemon, "/topic/tombstone?topic=nosuch&node=nsqd1.example:4151");

        reply.Status.Should().Be(200);
        reply.Body.Should().BeEmpty();
    }

    [Fact]
    public async Task T75_MissingNode_Or_MissingTopic_Is400()
    {
        await using var daemon = await StartAsync();

        var noNode = await PostAsync(daemon, "/topic/tombstone?topic=t");
        var noTopic = await PostAsync(daemon, "/topic/tombstone?node=x");

        noNode.Status.Should().Be(400);
        noNode.Text.Should().Be("""{"message":"MISSING_ARG_NODE"}""");
        noTopic.Status.Should().Be(400);
        noTopic.Text.Should().Be("""{"message":"MISSING_ARG_TOPIC"}""");
    }

    [Fact]
    public async Task T76_Debug_TombstonedAt_IsGoZeroTime_ThenPositive()
    {
        await using var daemon = await StartAsync();
        Seed(daemon, "t");

        var before = (await GetJsonAsync(daemon, "/debug")).GetProperty("topic:t:")[0];
        before.GetProperty("tombstoned").GetBoolean().Should().BeFalse();
        before.GetProperty("tombstoned_at").GetInt64().Should().Be(-6795364578871345152);
        (await GetAsync(daemon, "/debug")).Text.Should().Contain("\"tombstoned\":false,\"tombstoned_at\":-6795364578871345152");

        await PostAsync(daemon, Tombstone);

        var after = (await GetJsonAsync(daemon, "/debug")).GetProperty("topic:t:")[0];
        after.GetProperty("tombstoned").GetBoolean().Should().BeTrue();
        after.GetProperty("tombstoned_at").GetInt64().Should().Be(_clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000);
    }

    private static Dictionary<string, bool> Flags(JsonElement node)
    {
        var topics = Strings(node.GetProperty("topics"));
        var tombstones = node.GetProperty("tombstones").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        tombstones.Should().HaveSameCount(topics);
        return topics.Zip(tombstones).ToDictionary(p => p.First, p => p.Second);
    }
}
