using Microsoft.Extensions.Time.Testing;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Operations;

/// <summary>The opt-in pruning of keys whose producers are all gone (off by default: the original keeps them).</summary>
public sealed class PruneEmptyKeysTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WithTheOption_ATopicWhoseProducerLeft_DisappearsAfterTheGracePeriod()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var daemon = await TestDaemon.StartAsync(
            output, o => o with { PruneEmptyKeysAfter = TimeSpan.FromMinutes(1), InactiveProducerTimeout = TimeSpan.FromHours(1) }, clock);
        await using var stays = await daemon.ConnectIdentifiedAsync();
        (await stays.CommandAsync("REGISTER live\n")).Should().Be("OK");
        var leaves = await daemon.ConnectIdentifiedAsync();
        (await leaves.CommandAsync("REGISTER old c\n")).Should().Be("OK");
        var left = leaves.LocalAddress;
        await leaves.DisposeAsync();
        await Eventually.TrueAsync(async () => (await daemon.Http.GetStringAsync("/lookup?topic=old")) == "{\"channels\":[\"c\"],\"producers\":[]}");

        // /lookup hides a departed producer at once, and the counts drop at its detach; its entries leave the keys
        // later, on the release worker, whose completion the UNREGISTER lines report. The pruner's ticks below must
        // come after that, or the key still held an entry at the last tick the fake clock gives (this test flaked so,
        // twice: the wait was once on /lookup, then on the counts).
        await Eventually.TrueAsync(() => Task.FromResult(
            daemon.Logs.Lines.Contains($"INFO: DB: client({left}) UNREGISTER category:topic key:old subkey:")));

        clock.Advance(TimeSpan.FromSeconds(30));
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("{\"topics\":[\"live\",\"old\"]}");

        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => (await daemon.Http.GetStringAsync("/topics")) == "{\"topics\":[\"live\"]}");
        (await daemon.Http.GetStringAsync("/channels?topic=old")).Should().Be("{\"channels\":[]}");
        (await daemon.Http.GetStringAsync("/lookup?topic=live")).Should().Contain(stays.LocalAddress);
        daemon.Logs.Lines.Should().Contain("INFO: DB: pruning empty registration category:topic key:old subkey:");
    }

    [Fact]
    public async Task ByDefault_KeysOutliveTheirProducersForever()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var daemon = await TestDaemon.StartAsync(output, time: clock);
        var leaves = await daemon.ConnectIdentifiedAsync();
        (await leaves.CommandAsync("REGISTER old\n")).Should().Be("OK");
        await leaves.DisposeAsync();
        await Eventually.TrueAsync(async () => (await daemon.Http.GetStringAsync("/nodes")) == "{\"producers\":[]}");
        clock.Advance(TimeSpan.FromDays(30));
        await Task.Delay(200); // an absence: a pruner tick, had one been due, would have run by now; no signal for a non-event
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("{\"topics\":[\"old\"]}");
    }
}
