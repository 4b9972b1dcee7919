using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Interop;

/// <summary>Several lookupds share nothing: each nsqd registers with every one, and each holds its own state.</summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoInstancesSideBySide_HoldIndependentState()
    {
        await using var a = await TestDaemon.StartAsync(output);
        await using var b = await TestDaemon.StartAsync(output);

        // An nsqd configured with both lookupds registers with each of them.
        await using var nsqdToA = await a.ConnectIdentifiedAsync();
        await using var nsqdToB = await b.ConnectIdentifiedAsync();
        (await nsqdToA.CommandAsync("REGISTER shared\n")).Should().Be("OK");
        (await nsqdToB.CommandAsync("REGISTER shared\n")).Should().Be("OK");

        // Writes to one instance stay there: an nsqd that only knows A, and an admin action sent only to B.
        await using var onlyA = await a.ConnectIdentifiedAsync();
        (await onlyA.CommandAsync("REGISTER only_a\n")).Should().Be("OK");
        (await b.Http.PostAsync("/topic/create?topic=only_b", null)).EnsureSuccessStatusCode();

        (await a.Http.GetStringAsync("/topics")).Should().Be("{\"topics\":[\"only_a\",\"shared\"]}");
        (await b.Http.GetStringAsync("/topics")).Should().Be("{\"topics\":[\"only_b\",\"shared\"]}");

        // Losing the connection to A removes the producer from A only.
        await nsqdToA.DisposeAsync();
        await Eventually.TrueAsync(async () =>
            await a.Http.GetStringAsync("/lookup?topic=shared") == "{\"channels\":[],\"producers\":[]}");
        (await b.Http.GetStringAsync("/lookup?topic=shared")).Should().Contain(nsqdToB.LocalAddress);
    }
}
