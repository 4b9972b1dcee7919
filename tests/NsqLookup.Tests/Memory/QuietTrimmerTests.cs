using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Memory;
using NsqLookup.Tests.Infrastructure;

namespace NsqLookup.Tests.Memory;

/// <summary>The trimmer service samples once a second on its clock and runs the trim when the policy says so.</summary>
public sealed class QuietTrimmerTests
{
    [Fact]
    public async Task ItSamplesOnItsClock_AndTrimsOnceWhenAFloodHasCalmedDown()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        long allocated = 0;
        var samples = 0;
        var trims = 0;
        var policy = new QuietTrimPolicy { HeavyBytes = 100, QuietBytesPerSecond = 10, QuietFor = TimeSpan.FromSeconds(3) };
        using var trimmer = new QuietTrimmer(
            clock, policy, () => { Interlocked.Increment(ref samples); return Interlocked.Read(ref allocated); },
            () => Interlocked.Increment(ref trims), NullLogger<QuietTrimmer>.Instance);
        await trimmer.StartAsync(CancellationToken.None);

        async Task Second(long allocate)
        {
            var before = Volatile.Read(ref samples);
            Interlocked.Add(ref allocated, allocate);
            clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref samples) > before));
        }

        for (var i = 0; i < 5; i++)
        {
            await Second(allocate: 1000); // the flood
        }

        // The first tick is the baseline, so the flood was seen from the second; quiet counts from the flood's last tick.
        await Second(allocate: 0);
        await Second(allocate: 0);
        Volatile.Read(ref trims).Should().Be(0, "three quiet seconds have not passed yet");
        await Second(allocate: 0);
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref trims) == 1));
        for (var i = 0; i < 60; i++)
        {
            await Second(allocate: 0);
        }

        Volatile.Read(ref trims).Should().Be(1, "an idle daemon is trimmed once, not every quiet period");
        await trimmer.StopAsync(CancellationToken.None);
    }
}
