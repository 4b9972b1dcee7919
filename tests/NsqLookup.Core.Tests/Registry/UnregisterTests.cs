using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>docs/protocol.md, "Commands": UNREGISTER, channel and topic form; T53–T59.</summary>
public sealed class UnregisterTests
{
    private readonly RegistryHarness _h = new();

    [Fact]
    public void T53_NonEphemeralChannel_KeyStaysAndTopicUntouched()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        _h.Db.UnregisterChannel("t", "c", p.Id).Should().BeTrue();

        _h.Db.Channels("t").Should().Equal("c");
        _h.LookupIds("t").Should().Equal(p.Id);
        _h.Db.Debug().Select(r => r.Name).Should().NotContain("channel:t:c");
    }

    [Fact]
    public void T54_EphemeralChannel_RemovedWhenLastProducerLeaves()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c#ephemeral");

        _h.Db.UnregisterChannel("t", "c#ephemeral", p.Id).Should().BeTrue();

        _h.Db.Channels("t").Should().BeEmpty();
        _h.Db.Channels("t").Should().NotContain("c#ephemeral");
        _h.Db.Lookup("t")!.Channels.Should().BeEmpty();
        _h.LookupIds("t").Should().Equal(p.Id);
    }

    [Fact]
    public void T55_EphemeralChannel_StaysWhileAnotherProducerHasIt()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.2:1000");
        _h.Register(a, "t", "c#ephemeral");
        _h.Register(b, "t", "c#ephemeral");

        _h.Db.UnregisterChannel("t", "c#ephemeral", a.Id).Should().BeTrue();
        _h.Db.Channels("t").Should().Equal("c#ephemeral");

        _h.Db.UnregisterChannel("t", "c#ephemeral", b.Id).Should().BeTrue();
        _h.Db.Channels("t").Should().BeEmpty();
    }

    [Fact]
    public void EphemeralChannelWithoutProducers_GoesOnAnyChannelUnregister()
    {
        // The Go original: RemoveProducer answers left == 0 for a key with no entries, so the key is deleted
        // even though this peer was never on it.
        _h.Db.AddRegistration(Registration.Channel("t", "c#ephemeral"));
        var p = _h.Identify("10.0.0.1:1000");

        _h.Db.UnregisterChannel("t", "c#ephemeral", p.Id).Should().BeFalse();

        _h.Db.Channels("t").Should().BeEmpty();
    }

    [Fact]
    public void T56_UnregisterTopic_RemovesProducerButKeepsKeys()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c1");
        _h.Register(p, "t", "c2");

        var result = _h.Db.UnregisterTopic("t", p.Id);

        result.RemovedTopic.Should().BeTrue();
        result.RemovedChannels.Should().BeEquivalentTo([Registration.Channel("t", "c1"), Registration.Channel("t", "c2")]);
        var lookup = _h.Db.Lookup("t");
        lookup.Should().NotBeNull();
        lookup!.Producers.Should().BeEmpty();
        lookup.Channels.Should().BeEquivalentTo(["c1", "c2"]);
        _h.Db.Topics().Should().Equal("t");
        _h.Db.Debug().Select(r => r.Name).Should().Equal("client::");
        _h.Node(p)!.Topics.Should().BeEmpty();
    }

    [Fact]
    public void UnregisterTopic_LeavesOtherTopicsAndOtherPeersAlone()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.2:1000");
        _h.Register(a, "t", "c");
        _h.Register(a, "t2", "c");
        _h.Register(b, "t", "c");

        var result = _h.Db.UnregisterTopic("t", a.Id);

        result.RemovedChannels.Should().Equal(Registration.Channel("t", "c"));
        _h.LookupIds("t").Should().Equal(b.Id);
        _h.LookupIds("t2").Should().Equal(a.Id);
        _h.DebugEntry("channel:t2:c", a).Should().NotBeNull();
        _h.DebugEntry("channel:t:c", b).Should().NotBeNull();
        _h.DebugEntry("channel:t:c", a).Should().BeNull();
    }

    [Fact]
    public void T57_UnregisterTopic_KeepsEphemeralChannelKeys()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "x#ephemeral");

        _h.Db.UnregisterTopic("t", p.Id);

        _h.Db.Channels("t").Should().Equal("x#ephemeral");
        _h.Db.Debug().Select(r => r.Name).Should().NotContain("channel:t:x#ephemeral");
    }

    [Fact]
    public void T58_EphemeralTopic_KeyGoesButItsChannelsStay()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "e#ephemeral", "ch");

        _h.Db.UnregisterTopic("e#ephemeral", p.Id).RemovedTopic.Should().BeTrue();

        _h.Db.Topics().Should().NotContain("e#ephemeral");
        _h.Db.Lookup("e#ephemeral").Should().BeNull();
        _h.Db.Channels("e#ephemeral").Should().Equal("ch");
    }

    [Fact]
    public void EphemeralTopic_StaysWhileAnotherProducerHasIt()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.2:1000");
        _h.Register(a, "e#ephemeral");
        _h.Register(b, "e#ephemeral");

        _h.Db.UnregisterTopic("e#ephemeral", a.Id);

        _h.LookupIds("e#ephemeral").Should().Equal(b.Id);
    }

    [Fact]
    public void NonEphemeralTopicKey_StaysWhenEmptied()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        _h.Db.UnregisterTopic("t", p.Id);

        _h.Db.Topics().Should().Equal("t");
        _h.LookupIds("t").Should().BeEmpty();
    }

    [Fact]
    public void T59_UnregisterOfNothing_IsANoOp()
    {
        var p = _h.Identify("10.0.0.1:1000");

        _h.Db.UnregisterTopic("never", p.Id).Should().BeEquivalentTo(new TopicUnregistration([], false));
        _h.Db.UnregisterChannel("never", "c", p.Id).Should().BeFalse();

        _h.Db.Topics().Should().BeEmpty();
        _h.Db.Channels("never").Should().BeEmpty();
        _h.Node(p).Should().NotBeNull();
    }
}
