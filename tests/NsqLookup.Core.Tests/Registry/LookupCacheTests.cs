using Microsoft.Extensions.Time.Testing;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>A stored <c>/lookup</c> answer comes back only while it is the answer, and within the byte budget.
/// (The random interleavings are in <see cref="RegistryModelTests"/>, which caches every answer it reads.)</summary>
public sealed class LookupCacheTests
{
    private readonly RegistryHarness _h = new(inactiveProducerTimeout: TimeSpan.FromSeconds(300));

    [Fact]
    public void A_stored_answer_comes_back_until_the_topic_changes()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        _h.Db.CacheLookup(_h.Db.Lookup("t")!, "first", 5);

        _h.Db.Lookup("t")!.Cached.Should().Be("first");
        _h.Db.Lookup("t")!.Producers.Should().Equal(p);

        var q = _h.Identify("10.0.0.2:1000");
        _h.Register(q, "t");
        _h.Db.Lookup("t")!.Cached.Should().BeNull("a producer joined");
    }

    [Fact]
    public void A_stored_answer_expires_when_a_listed_producer_could_turn_inactive()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.CacheLookup(_h.Db.Lookup("t")!, "answer", 6);

        _h.Clock.Advance(TimeSpan.FromSeconds(299));
        _h.Db.Lookup("t")!.Cached.Should().Be("answer");
        _h.Clock.Advance(TimeSpan.FromSeconds(2));
        var late = _h.Db.Lookup("t")!;
        late.Cached.Should().BeNull();
        late.Producers.Should().BeEmpty();

        // An answer that leaves out an inactive producer is never stored: a PING brings it back untouched.
        _h.Db.CacheLookup(late, "without p", 9);
        _h.Db.Touch(p);
        _h.Db.Lookup("t")!.Producers.Should().Equal(p);
    }

    [Fact]
    public void Stored_answers_stay_within_the_byte_budget()
    {
        var db = new RegistrationDB(new FakeTimeProvider(), TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(45)) { LookupCacheLimit = 100 };
        var p = new IdentifyBody { BroadcastAddress = "b", Hostname = "h", Version = "1" }.ToPeer("10.0.0.1:1000");
        db.Touch(p);
        db.AddProducer(Registration.Client, p);
        foreach (var t in new[] { "a", "b", "c" })
        {
            db.AddProducer(Registration.Topic(t), p);
        }

        db.CacheLookup(db.Lookup("a")!, "a", 60);
        db.CacheLookup(db.Lookup("b")!, "b", 60);
        db.Lookup("a")!.Cached.Should().Be("a");
        db.Lookup("b")!.Cached.Should().BeNull("60 + 60 bytes is over the 100-byte budget");

        db.AddProducer(Registration.Channel("a", "x"), p); // a channel: "a" changes, its bytes are freed
        db.CacheLookup(db.Lookup("b")!, "b", 60);
        db.Lookup("b")!.Cached.Should().Be("b");
    }
}
