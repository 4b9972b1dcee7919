using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>Tombstones brought back from <c>--data-path</c> (<see cref="RegistrationDB.RestoreTombstone"/>) go through
/// the same tombstone primitive as <c>/topic/tombstone</c>: the entry is hidden, flagged and counted, a stamp taken
/// before goes stale, and everything is undone when the entry or the topic goes.</summary>
public sealed class RestoredTombstoneTests
{
    private readonly RegistryHarness _h = new(tombstoneLifetime: TimeSpan.FromSeconds(45));

    [Fact]
    public void ARestoredTombstone_MarksTheProducerWhenItRegistersAgainWithTheOriginalStamp()
    {
        var at = RegistryHarness.Start - TimeSpan.FromSeconds(10);
        _h.Db.RestoreTombstone("t", "nsqd1.example:4151", at).Should().BeTrue();

        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.LookupIds("t").Should().BeEmpty();
        _h.TombstoneFlag(p, "t").Should().BeTrue();
        _h.DebugEntry("topic:t:", p)!.TombstonedAtUnixNanos.Should().Be(RegistryHarness.UnixNanos(at));

        _h.Clock.Advance(TimeSpan.FromSeconds(34));
        _h.LookupIds("t").Should().BeEmpty("34 + 10 s is within the 45 s lifetime");
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        _h.LookupIds("t").Should().Equal(p.Id);
    }

    [Fact]
    public void ARestoredTombstone_MarksAnExistingEntryAtOnceAndMakesItsLookupStampStale()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        var stamp = _h.Db.Lookup("t")!.Stamp;
        _h.Node(p)!.IsKept.Should().BeTrue();

        _h.Db.RestoreTombstone("t", "nsqd1.example:4151", RegistryHarness.Start).Should().BeTrue();
        _h.Db.IsCurrent(stamp!).Should().BeFalse();
        var lookup = _h.Db.Lookup("t", stamp)!;
        lookup.Stamp.Should().NotBeSameAs(stamp);
        lookup.Producers.Should().BeEmpty();
        _h.Node(p)!.IsKept.Should().BeFalse("a row with a tombstone is not kept (its flags change with time)");
    }

    [Fact]
    public void ALapsedTombstone_IsNotRestored()
    {
        _h.Db.RestoreTombstone("t", "nsqd1.example:4151", RegistryHarness.Start - TimeSpan.FromSeconds(45)).Should().BeFalse();
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.LookupIds("t").Should().Equal(p.Id);
    }

    [Fact]
    public void DeletingTheTopic_ForgetsItsRestoredTombstones()
    {
        _h.Db.RestoreTombstone("t", "nsqd1.example:4151", RegistryHarness.Start).Should().BeTrue();
        _h.Db.AddRegistration(Registration.Topic("t"));
        _h.Db.DeleteTopic("t");

        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.LookupIds("t").Should().Equal(p.Id);
        _h.TombstoneFlag(p, "t").Should().BeFalse();
    }

    [Fact]
    public void TheTombstone_LeavesWithItsEntryAndTheRowIsVersionedAgain()
    {
        _h.Db.RestoreTombstone("t", "nsqd1.example:4151", RegistryHarness.Start).Should().BeTrue();
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Register(p, "u");
        _h.Node(p)!.IsKept.Should().BeFalse();

        _h.Db.UnregisterTopic("t", p.Id).RemovedTopic.Should().BeTrue();
        _h.Node(p)!.IsKept.Should().BeTrue("the peer's count of tombstoned entries is back to zero");
        _h.Node(p)!.Topics.Should().Equal("u");
        _h.DebugEntries("topic:t:").Should().BeEmpty();
    }
}
