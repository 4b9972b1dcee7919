using Microsoft.Extensions.Time.Testing;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry.Owners;

public sealed class RestoredTombstonesTests
{
    private static readonly PeerInfo Peer = new("10.0.0.1:1000", "nsqd1.example", "h1", 4150, 4151, "1.3.0");
    private readonly FakeTimeProvider _clock = new();
    private readonly RestoredTombstones _restored;

    public RestoredTombstonesTests() => _restored = new RestoredTombstones(_clock, TimeSpan.FromSeconds(45));

    [Fact]
    public void ARestoredTombstone_IsFoundForTheProducerItNamesUntilItsLifetimeEnds()
    {
        _restored.IsEmpty.Should().BeTrue();
        _restored.Add("t", "nsqd1.example:4151", new TombstoneStamp(_clock.GetTimestamp(), 7));
        _restored.Add("t", "other:4151", new TombstoneStamp(_clock.GetTimestamp() + 1, 8));

        _restored.TryFind("t", Peer, _clock.GetTimestamp(), out var stamp).Should().BeTrue();
        stamp.UnixNanos.Should().Be(7);
        _restored.TryFind("u", Peer, _clock.GetTimestamp(), out _).Should().BeFalse();

        _clock.Advance(TimeSpan.FromSeconds(45));
        _restored.TryFind("t", Peer, _clock.GetTimestamp(), out _).Should().BeFalse();
        _restored.IsEmpty.Should().BeFalse("the other producer's has a tick left");
        _clock.Advance(TimeSpan.FromSeconds(1));
        _restored.TryFind("t", Peer, _clock.GetTimestamp(), out _).Should().BeFalse();
        _restored.IsEmpty.Should().BeTrue("lapsed ones are forgotten as they are met");
    }

    [Fact]
    public void ForgettingATopic_ForgetsItsTombstonesOnly()
    {
        _restored.Add("t", "nsqd1.example:4151", new TombstoneStamp(_clock.GetTimestamp(), 1));
        _restored.Add("u", "nsqd1.example:4151", new TombstoneStamp(_clock.GetTimestamp(), 2));
        _restored.Forget("t");
        _restored.TryFind("t", Peer, _clock.GetTimestamp(), out _).Should().BeFalse();
        _restored.TryFind("u", Peer, _clock.GetTimestamp(), out _).Should().BeTrue();
        _restored.Forget("u");
        _restored.IsEmpty.Should().BeTrue();
    }
}
