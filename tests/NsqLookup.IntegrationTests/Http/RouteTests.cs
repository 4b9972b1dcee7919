using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Registry;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>T91–T109: each route's validation, shape and effect.</summary>
public sealed class RouteTests(ITestOutputHelper output)
{
    private static readonly string[] ProducerKeys =
        ["remote_address", "hostname", "broadcast_address", "tcp_port", "http_port", "version", "topology_zone", "topology_region"];

    [Fact]
    public async Task T91_LookupWithoutTopic_Is400()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await GetAsync(daemon, "/lookup");

        reply.Status.Should().Be(400);
        reply.Text.Should().Be("""{"message":"MISSING_ARG_TOPIC"}""");
    }

    [Theory]
    [InlineData("/lookup?topic=unknown")]
    [InlineData("/lookup?topic=")]
    [InlineData("/lookup?topic")]
    [InlineData("/lookup?topic=bad$")]
    public async Task T92_LookupOfUnknownOrInvalidTopic_Is404(string url)
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await GetAsync(daemon, url);

        reply.Status.Should().Be(404);
        reply.Text.Should().Be("""{"message":"TOPIC_NOT_FOUND"}""");
        reply.Header(NsqHeader).Should().Be(NsqValue);
    }

    [Fact]
    public async Task T93_LookupProducer_HasExactKeysInOrder_TopologyEchoedOrEmpty()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "127.0.0.1:50001", Body(), "t");
        Seed(daemon, "127.0.0.1:50002", Body(zone: "z1", region: "r1"), "t");

        var reply = await GetAsync(daemon, "/lookup?topic=t");

        reply.Text.Should().Contain(
            """{"remote_address":"127.0.0.1:50001","hostname":"h1","broadcast_address":"nsqd1.example","tcp_port":4150,"http_port":4151,"version":"1.3.0","topology_zone":"","topology_region":""}""");
        reply.Text.Should().Contain(
            """{"remote_address":"127.0.0.1:50002","hostname":"h1","broadcast_address":"nsqd1.example","tcp_port":4150,"http_port":4151,"version":"1.3.0","topology_zone":"z1","topology_region":"r1"}""");
        foreach (var producer in await LookupProducersAsync(daemon, "t"))
        {
            Keys(producer).Should().Equal(ProducerKeys);
        }
    }

    [Fact]
    public async Task T94_EmptyDaemon_ListsAreEmptyNotNull()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        (await GetAsync(daemon, "/topics")).Text.Should().Be("""{"topics":[]}""");
        (await GetAsync(daemon, "/nodes")).Text.Should().Be("""{"producers":[]}""");
        (await GetAsync(daemon, "/debug")).Text.Should().Be("{}");
    }

    [Fact]
    public async Task T95_Channels_MissingTopicIs400_UnknownTopicIsEmpty()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var missing = await GetAsync(daemon, "/channels");
        var unknown = await GetAsync(daemon, "/channels?topic=unknown");

        missing.Status.Should().Be(400);
        missing.Text.Should().Be("""{"message":"MISSING_ARG_TOPIC"}""");
        unknown.Status.Should().Be(200);
        unknown.Text.Should().Be("""{"channels":[]}""");
    }

    [Fact]
    public async Task T96_NodesObject_HasExactKeysInOrder_AndEqualLengthArrays()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "127.0.0.1:50001", Body(), "t/c", "u");
        Seed(daemon, "127.0.0.1:50002", Body());

        var nodes = await NodesAsync(daemon);

        nodes.Should().HaveCount(2);
        foreach (var node in nodes)
        {
            Keys(node).Should().Equal([.. ProducerKeys, "tombstones", "topics"]);
            node.GetProperty("tombstones").GetArrayLength().Should().Be(node.GetProperty("topics").GetArrayLength());
        }

        (await GetAsync(daemon, "/nodes")).Text.Should().Contain("""127.0.0.1:50002","hostname":"h1","broadcast_address":"nsqd1.example","tcp_port":4150,"http_port":4151,"version":"1.3.0","topology_zone":"","topology_region":"","tombstones":[],"topics":[]}""");
    }

    [Fact]
    public async Task T97_NodesTopics_ExcludeHttpOnlyTopics()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "t");
        await PostAsync(daemon, "/topic/create?topic=httponly");

        var node = (await NodesAsync(daemon)).Single();

        Strings(node.GetProperty("topics")).Should().Equal("t");
    }

    [Fact]
    public async Task T98_Debug_MemberNamesSorted_EntryKeysSorted()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "b/c", "a");

        var debug = await GetJsonAsync(daemon, "/debug");

        Keys(debug).Should().Equal("channel:b:c", "client::", "topic:a:", "topic:b:");
        foreach (var member in debug.EnumerateObject())
        {
            Keys(member.Value[0]).Should().Equal(
                "broadcast_address", "hostname", "http_port", "id", "last_update", "tcp_port", "tombstoned", "tombstoned_at",
                "topology_region", "topology_zone", "version");
        }
    }

    [Fact]
    public async Task T99_TopicCreate_IsEmpty200_WithOnlyNsqHeader()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await RawAsync(daemon, "POST /topic/create?topic=x HTTP/1.1\r\nContent-Length: 0");

        reply.Status.Should().Be(200);
        reply.Body.Should().BeEmpty();
        reply.HeaderLines.Should().Contain(("X-Nsq-Content-Type", NsqValue));
        reply.Header("Content-Type").Should().BeNull();
        reply.Header("Content-Length").Should().Be("0");
        (await TopicsAsync(daemon)).Should().Contain("x");
        (await GetAsync(daemon, "/lookup?topic=x")).Text.Should().Be("""{"channels":[],"producers":[]}""");
    }

    [Theory]
    [InlineData("/topic/create", "MISSING_ARG_TOPIC")]
    [InlineData("/topic/create?topic=bad$", "INVALID_ARG_TOPIC")]
    [InlineData("/topic/create?topic=", "INVALID_ARG_TOPIC")]
    public async Task T100_TopicCreate_Validation(string url, string message)
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await PostAsync(daemon, url);

        reply.Status.Should().Be(400);
        reply.Text.Should().Be($$"""{"message":"{{message}}"}""");
        (await TopicsAsync(daemon)).Should().BeEmpty();
    }

    [Fact]
    public async Task T101_ChannelCreate_CreatesChannelAndTopic()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var reply = await PostAsync(daemon, "/channel/create?topic=t&channel=c");

        reply.Status.Should().Be(200);
        reply.Body.Should().BeEmpty();
        (await TopicsAsync(daemon)).Should().Contain("t");
        (await ChannelsAsync(daemon, "t")).Should().Contain("c");
    }

    [Fact]
    public Task T102_ChannelCreate_ValidationOrder() => AssertChannelArgChecksAsync("/channel/create");

    [Fact]
    public Task T104_ChannelDelete_SameValidationOrder() => AssertChannelArgChecksAsync("/channel/delete");

    private async Task AssertChannelArgChecksAsync(string path)
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var cases = new (string Query, string Message)[]
        {
            ("", "MISSING_ARG_TOPIC"),
            ("?channel=c", "MISSING_ARG_TOPIC"),
            ("?topic=bad$", "INVALID_ARG_TOPIC"),
            ("?topic=bad$&channel=bad$", "INVALID_ARG_TOPIC"),
            ("?topic=t", "MISSING_ARG_CHANNEL"),
            ("?topic=t&channel=bad$", "INVALID_ARG_CHANNEL"),
            ("?topic=t&channel=", "INVALID_ARG_CHANNEL"),
        };

        foreach (var (query, message) in cases)
        {
            var reply = await PostAsync(daemon, path + query);
            reply.Status.Should().Be(400, query);
            reply.Text.Should().Be($$"""{"message":"{{message}}"}""", query);
        }

        (await TopicsAsync(daemon)).Should().BeEmpty();
    }

    [Fact]
    public async Task T103_ChannelDelete_Then404_TopicRemains()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await PostAsync(daemon, "/channel/create?topic=t&channel=c");

        var first = await PostAsync(daemon, "/channel/delete?topic=t&channel=c");
        var second = await PostAsync(daemon, "/channel/delete?topic=t&channel=c");

        first.Status.Should().Be(200);
        first.Body.Should().BeEmpty();
        second.Status.Should().Be(404);
        second.Text.Should().Be("""{"message":"CHANNEL_NOT_FOUND"}""");
        (await TopicsAsync(daemon)).Should().Contain("t");
        (await ChannelsAsync(daemon, "t")).Should().BeEmpty();
    }

    [Fact]
    public async Task T105_TopicDelete_RemovesTopicChannelsAndNodeTopic()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "t/c", "u");

        var reply = await PostAsync(daemon, "/topic/delete?topic=t");

        reply.Status.Should().Be(200);
        reply.Body.Should().BeEmpty();
        (await TopicsAsync(daemon)).Should().Equal("u");
        (await ChannelsAsync(daemon, "t")).Should().BeEmpty();
        (await GetAsync(daemon, "/lookup?topic=t")).Status.Should().Be(404);
        Strings((await NodesAsync(daemon)).Single().GetProperty("topics")).Should().Equal("u");
    }

    [Fact]
    public async Task T106_RegisterAfterTopicDelete_BringsItBack()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var peer = Seed(daemon, "t");
        await PostAsync(daemon, "/topic/delete?topic=t");

        Register(daemon, peer, "t");

        (await TopicsAsync(daemon)).Should().Contain("t");
        (await LookupProducersAsync(daemon, "t")).Should().ContainSingle();
    }

    [Fact]
    public async Task T107_TopicDelete_UnknownOrInvalidIs200_MissingIs400()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        (await PostAsync(daemon, "/topic/delete?topic=never")).Status.Should().Be(200);
        (await PostAsync(daemon, "/topic/delete?topic=bad$$")).Status.Should().Be(200);
        var missing = await PostAsync(daemon, "/topic/delete");
        missing.Status.Should().Be(400);
        missing.Text.Should().Be("""{"message":"MISSING_ARG_TOPIC"}""");
    }

    [Fact]
    public async Task T108_LegacyPaths_Are404()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "t");

        var replies = new[]
        {
            await GetAsync(daemon, "/delete_topic?topic=t"),
            await PostAsync(daemon, "/delete_topic?topic=t"),
            await PostAsync(daemon, "/tombstone_topic_producer?topic=t&node=nsqd1.example:4151"),
            await GetAsync(daemon, "/create_channel?topic=t&channel=c"),
        };

        foreach (var reply in replies)
        {
            reply.Status.Should().Be(404);
            reply.Text.Should().Be("""{"message":"NOT_FOUND"}""");
        }

        (await TopicsAsync(daemon)).Should().Equal("t");
    }

    [Fact]
    public async Task T109_Star_IsNotAWildcard()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        Seed(daemon, "a/c");

        (await GetAsync(daemon, "/lookup?topic=*")).Status.Should().Be(404);
        (await ChannelsAsync(daemon, "*")).Should().BeEmpty();
        (await PostAsync(daemon, "/topic/delete?topic=*")).Status.Should().Be(200);
        (await PostAsync(daemon, "/topic/tombstone?topic=*&node=nsqd1.example:4151")).Status.Should().Be(200);

        (await TopicsAsync(daemon)).Should().Equal("a");
        (await ChannelsAsync(daemon, "a")).Should().Equal("c");
        (await LookupProducersAsync(daemon, "a")).Should().ContainSingle();
        daemon.App.Registry.Channels("a").Should().Contain("c");
    }
}
