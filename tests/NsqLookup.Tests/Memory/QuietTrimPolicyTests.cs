using NsqLookup.Memory;

namespace NsqLookup.Tests.Memory;

/// <summary>When the quiet-time trimmer fires: fed samples on a made-up clock, no real GC, no timing.</summary>
public sealed class QuietTrimPolicyTests
{
    private const long MiB = 1024 * 1024;

    private readonly QuietTrimPolicy _policy = new()
    {
        HeavyBytes = 64 * MiB,
        QuietBytesPerSecond = 1 * MiB,
        QuietFor = TimeSpan.FromSeconds(5),
        MinInterval = TimeSpan.FromSeconds(30),
    };

    private long _allocated;
    private int _second;

    [Fact]
    public void AFlood_ThenQuiet_TrimsOnceAfterTheQuietPeriod_AndNotAgainWhileIdle()
    {
        Busy(seconds: 10, mibPerSecond: 20).Should().BeEmpty("never during load");
        var fired = Quiet(seconds: 60);
        fired.Should().Equal([5], "one trim, 5 s into the quiet");
    }

    [Fact]
    public void AnIdleDaemon_IsNeverTrimmed()
    {
        // nsqd PINGs and nsqadmin polls: a little allocation every second, for an hour (700 MiB in all).
        Quiet(seconds: 3600, kibPerSecond: 200).Should().BeEmpty();
    }

    [Fact]
    public void SustainedLoad_IsNeverTrimmed_HoweverMuchItAllocates()
    {
        Busy(seconds: 600, mibPerSecond: 50).Should().BeEmpty();
    }

    [Fact]
    public void ABurstDuringTheQuietPeriod_StartsItAgain()
    {
        Busy(seconds: 5, mibPerSecond: 20);
        Quiet(seconds: 3).Should().BeEmpty();
        Busy(seconds: 1, mibPerSecond: 20).Should().BeEmpty();
        Quiet(seconds: 10).Should().Equal([5]);
    }

    [Fact]
    public void LightChurnBelowTheHeavyMark_IsNotTrimmed()
    {
        Busy(seconds: 3, mibPerSecond: 20); // 60 MiB: under the 64 MiB mark
        Quiet(seconds: 60).Should().BeEmpty();
    }

    [Fact]
    public void TwoFloodsInARow_AreTrimmedAtMostOncePerInterval()
    {
        Busy(seconds: 10, mibPerSecond: 20);
        Quiet(seconds: 6).Should().Equal([5]);
        Busy(seconds: 5, mibPerSecond: 20);
        var fired = Quiet(seconds: 60);

        // Quiet again from second 22, but the first trim was at second 15: the second waits for second 45.
        fired.Should().Equal([24]);
    }

    [Fact]
    public void AnAllocationCounterThatGoesBack_CountsAsNoAllocation()
    {
        Busy(seconds: 10, mibPerSecond: 20);
        _allocated = 0;
        Quiet(seconds: 10).Should().Equal([5]);
    }

    [Fact]
    public void WithTrimAfterStart_TheFirstSampleTrims_ThenTheIntervalHolds_AndAnIdleDaemonIsNotTrimmedAgain()
    {
        var policy = new QuietTrimPolicy { TrimAfterStart = true, MinInterval = TimeSpan.FromSeconds(30) };
        policy.Observe(TimeSpan.FromSeconds(1), 0).Should().BeTrue("the startup's garbage is given back once");
        var fired = new List<int>();
        long allocated = 0;
        for (var second = 2; second <= 120; second++)
        {
            allocated += second <= 11 ? 20 * MiB : 0; // a flood in the first 10 s, then quiet
            if (policy.Observe(TimeSpan.FromSeconds(second), allocated))
            {
                fired.Add(second);
            }
        }

        fired.Should().Equal([31], "the flood's trim waits out the 30 s since the start's, then idle stays untrimmed");
        new QuietTrimPolicy().Observe(TimeSpan.Zero, 0).Should().BeFalse("off by default: test hosts share one heap");
    }

    // Each helper takes one sample per second; returns the seconds (counted from the helper's start) a trim fired at.
    private List<int> Busy(int seconds, long mibPerSecond) => Run(seconds, mibPerSecond * MiB);

    private List<int> Quiet(int seconds, long kibPerSecond = 0) => Run(seconds, kibPerSecond * 1024);

    private List<int> Run(int seconds, long bytesPerSecond)
    {
        if (_second == 0)
        {
            _policy.Observe(TimeSpan.Zero, _allocated).Should().BeFalse("the first sample is only a baseline");
        }

        var fired = new List<int>();
        for (var i = 1; i <= seconds; i++)
        {
            _allocated += bytesPerSecond;
            if (_policy.Observe(TimeSpan.FromSeconds(++_second), _allocated))
            {
                fired.Add(i);
            }
        }

        return fired;
    }
}
