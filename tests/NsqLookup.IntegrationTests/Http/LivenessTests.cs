using Microsoft.Extensions.Time.Testing;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Registry;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>T64–T67, HTTP side: producers are seeded through the registry and the clock is fake.</summary>
public sealed class LivenessTests(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private Task<TestDaemon> StartAsync() =>
        TestDaemon.StartAsync(output, o => o with { InactiveProducerTimeout = TimeSpan.FromSeconds(1) }, _clock);

    [Fact]
    public async Task T64_InactiveProducer_HiddenFromLookupAndNodes_ButInDebug()
    {
        await using var daemon = await StartAsync();
        Seed(daemon, "t/c");
        (await LookupProducersAsync(daemon, "t")).Should().HaveCount(1);
        (await NodesAsync(daemon)).Should().HaveCount(1);

        _clock.Advance(TimeSpan.FromMilliseconds(1500));

        (await LookupProducersAsync(daemon, "t")).Should().BeEmpty();
        (await NodesAsync(daemon)).Should().BeEmpty();
        var debug = await GetJsonAsync(daemon, "/debug");
        debug.GetProperty("topic:t:")[0].GetProperty("id").GetString().Should().Be("127.0.0.1:50001");
        debug.GetProperty("client::").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task T65_Register_DoesNotRevive_Ping_Does()
    {
        await using var daemon = await StartAsync();
        var peer = Seed(daemon, "t/c");
        _clock.Advance(TimeSpan.FromMilliseconds(1500));

        Register(daemon, peer, "t/c2");
        (await LookupProducersAsync(daemon, "t")).Should().BeEmpty();
        (await NodesAsync(daemon)).Should().BeEmpty();

        daemon.App.Registry.Touch(peer); // PING
        (await LookupProducersAsync(daemon, "t")).Should().HaveCount(1);
        (await NodesAsync(daemon)).Should().HaveCount(1);
    }

    [Fact]
    public async Task T66_Inactivity_NeverChangesTopicsOrChannels()
    {
        await using var daemon = await StartAsync();
        Seed(daemon, "t/c", "u");
        var topics = await TopicsAsync(daemon);
        var channels = await ChannelsAsync(daemon, "t");

        _clock.Advance(TimeSpan.FromSeconds(10));

        (await TopicsAsync(daemon)).Should().BeEquivalentTo(topics).And.BeEquivalentTo(["t", "u"]);
        (await ChannelsAsync(daemon, "t")).Should().BeEquivalentTo(channels).And.BeEquivalentTo(["c"]);
    }

    [Fact]
    public async Task T67_LookupOfTopicWithOnlyInactiveProducer_Is200WithEmptyProducers()
    {
        await using var daemon = await StartAsync();
        Seed(daemon, "t");
        _clock.Advance(TimeSpan.FromMilliseconds(1500));

        var reply = await GetAsync(daemon, "/lookup?topic=t");

        reply.Status.Should().Be(200);
        reply.Text.Should().Be("""{"channels":[],"producers":[]}""");
        daemon.App.Registry.Topics().Should().Contain("t");
    }
}
