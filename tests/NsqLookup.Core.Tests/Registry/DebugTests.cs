using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary><c>/debug</c> (docs/protocol.md, "Producer, node and debug objects"; T36, T94, T98): keys with ≥1 entry, sorted, unfiltered.</summary>
public sealed class DebugTests
{
    private readonly RegistryHarness _h = new();

    [Fact]
    public void T94_EmptyDb_IsEmpty() => _h.Db.Debug().Should().BeEmpty();

    [Fact]
    public void T98_MemberNames_AreCategoryKeySubkey_Sorted()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        _h.Register(p, "a", "z");
        _h.Register(p, "a", "b");

        _h.Db.Debug().Select(r => r.Name).Should().Equal(
            "channel:a:b", "channel:a:z", "channel:t:c", "client::", "topic:a:", "topic:t:");
    }

    [Fact]
    public void T36_ClientMember_HasThePeerId()
    {
        var p = _h.Identify("10.0.0.1:1000");

        var member = _h.Db.Debug().Should().ContainSingle().Subject;
        member.Name.Should().Be("client::");
        member.Entries.Should().ContainSingle().Which.Peer.Id.Should().Be("10.0.0.1:1000");
        _h.DebugEntry("client::", p).Should().NotBeNull();
    }

    [Fact]
    public void KeysWithoutEntries_AreLeftOut()
    {
        _h.Db.AddRegistration(Registration.Topic("empty"));
        _h.Db.AddRegistration(Registration.Channel("empty", "c"));
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        _h.Db.UnregisterChannel("t", "c", p.Id).Should().BeTrue();

        _h.Db.Debug().Select(r => r.Name).Should().Equal("client::", "topic:t:");
    }

    [Fact]
    public void LastUpdate_IsTheFakeClocksUnixNanosecondsSharedByAllEntries()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        var identifiedAt = RegistryHarness.UnixNanos(RegistryHarness.Start);

        _h.Db.Debug().SelectMany(r => r.Entries).Should().OnlyContain(e => e.LastUpdateUnixNanos == identifiedAt);

        _h.Clock.Advance(TimeSpan.FromTicks(12_345_678));
        _h.Db.Touch(p);
        var pingedAt = RegistryHarness.UnixNanos(_h.Clock.GetUtcNow());

        pingedAt.Should().Be(identifiedAt + 1_234_567_800);
        _h.Db.Debug().SelectMany(r => r.Entries).Should().HaveCount(3)
            .And.OnlyContain(e => e.LastUpdateUnixNanos == pingedAt);
    }

    [Fact]
    public void Debug_DoesNotFilterInactiveOrTombstonedEntries()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", "nsqd1.example:4151");
        _h.Clock.Advance(TimeSpan.FromHours(1));

        _h.DebugEntry("client::", p).Should().NotBeNull();
        _h.DebugEntry("topic:t:", p)!.Tombstoned.Should().BeTrue();
    }

    [Fact]
    public void EntriesOfOneKeyListEveryPeer()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.2:1000");
        _h.Register(a, "t");
        _h.Register(b, "t");

        _h.Db.Debug().Single(r => r.Name == "topic:t:").Entries.Select(e => e.Peer.Id)
            .Should().BeEquivalentTo([a.Id, b.Id]);
    }
}
