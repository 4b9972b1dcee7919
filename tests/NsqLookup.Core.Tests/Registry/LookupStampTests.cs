using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>A <c>/lookup</c> answer's version stamp comes back only while it is the answer. (The random
/// interleavings are in <see cref="RegistryModelTests"/>, which keeps a stamp for every answer it reads; the byte
/// budget of the encoded answers is the HTTP side's, tested with it.)</summary>
public sealed class LookupStampTests
{
    private readonly RegistryHarness _h = new(inactiveProducerTimeout: TimeSpan.FromSeconds(300));

    [Fact]
    public void AStamp_ComesBackUntilTheTopicChanges()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        var first = _h.Db.Lookup("t")!.Stamp;
        first.Should().NotBeNull();

        var again = _h.Db.Lookup("t", first)!;
        again.Stamp.Should().BeSameAs(first);
        again.Producers.Should().Equal(p);
        _h.Db.IsCurrent(first!).Should().BeTrue();

        var q = _h.Identify("10.0.0.2:1000");
        _h.Register(q, "t");
        _h.Db.Lookup("t", first)!.Stamp.Should().NotBeSameAs(first, "a producer joined");
        _h.Db.IsCurrent(first!).Should().BeFalse();
    }

    [Fact]
    public void AStamp_ExpiresWhenAListedProducerCouldTurnInactive()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        var stamp = _h.Db.Lookup("t")!.Stamp;

        _h.Clock.Advance(TimeSpan.FromSeconds(299));
        _h.Db.Lookup("t", stamp)!.Stamp.Should().BeSameAs(stamp);
        _h.Clock.Advance(TimeSpan.FromSeconds(2));
        var late = _h.Db.Lookup("t", stamp)!;
        late.Stamp.Should().NotBeSameAs(stamp);
        late.Producers.Should().BeEmpty();

        // An answer that leaves out an inactive producer has no stamp: a PING brings it back untouched.
        late.Stamp.Should().BeNull();
        _h.Db.Touch(p);
        _h.Db.Lookup("t")!.Producers.Should().Equal(p);
    }

    [Fact]
    public void AStampOfADeletedTopic_NeverMatchesTheTopicCreatedAgain()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        var stamp = _h.Db.Lookup("t")!.Stamp;

        _h.Db.DeleteTopic("t");
        _h.Db.IsCurrent(stamp!).Should().BeFalse();
        _h.Db.AddRegistration(Registration.Topic("t"));
        var fresh = _h.Db.Lookup("t", stamp)!;
        fresh.Stamp.Should().NotBeSameAs(stamp, "the new topic's version may equal the old one's, its node does not");
        fresh.Producers.Should().BeEmpty();
    }

    [Fact]
    public void AStamp_GoesStaleWhenAListedPeerDisconnects()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        var stamp = _h.Db.Lookup("t")!.Stamp;

        _h.Db.DetachPeer(p.Id);
        _h.Db.Lookup("t", stamp)!.Stamp.Should().NotBeSameAs(stamp, "a detach touches no topic; the stamp checks its peers");
    }
}
