using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>docs/protocol.md, "Registration model": active iff now − last_update ≤ timeout; only IDENTIFY/PING (Touch) stamp; T64–T67.</summary>
public sealed class LivenessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private readonly RegistryHarness _h = new(inactiveProducerTimeout: Timeout);

    [Fact]
    public void T64_InactiveProducer_HiddenFromLookupAndNodes_ButInDebug()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        _h.Clock.Advance(TimeSpan.FromMilliseconds(1500));

        _h.LookupIds("t").Should().BeEmpty();
        _h.Db.Nodes().Should().BeEmpty();
        _h.Db.Debug().Select(r => r.Name).Should().Equal("channel:t:c", "client::", "topic:t:");
        _h.DebugEntry("topic:t:", p).Should().NotBeNull();
    }

    [Fact]
    public void T65_RegisterDoesNotRevive_PingDoes()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        _h.Clock.Advance(TimeSpan.FromMilliseconds(1500));

        _h.Register(p, "t", "c2");
        _h.LookupIds("t").Should().BeEmpty();
        _h.Db.Nodes().Should().BeEmpty();

        _h.Db.Touch(p);
        _h.LookupIds("t").Should().Equal(p.Id);
        _h.Db.Lookup("t")!.Channels.Should().Equal("c", "c2");
        _h.Node(p)!.Topics.Should().Equal("t");
    }

    [Fact]
    public void Touch_RefreshesEveryEntryOfThePeerAtOnce()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Register(p, "u");
        _h.Clock.Advance(TimeSpan.FromSeconds(2));
        _h.LookupIds("t").Should().BeEmpty();

        _h.Db.Touch(p);

        _h.LookupIds("t").Should().Equal(p.Id);
        _h.LookupIds("u").Should().Equal(p.Id);
    }

    [Fact]
    public void T66_InactivityNeverChangesTopicsOrChannels()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        _h.Clock.Advance(TimeSpan.FromHours(1));

        _h.Db.Topics().Should().Equal("t");
        _h.Db.Channels("t").Should().Equal("c");
        _h.Db.Lookup("t")!.Channels.Should().Equal("c");
    }

    [Fact]
    public void T67_LookupOfTopicWithOnlyInactiveProducer_IsFoundWithNoProducers()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        _h.Clock.Advance(TimeSpan.FromSeconds(2));

        var lookup = _h.Db.Lookup("t");
        lookup.Should().NotBeNull();
        lookup!.Producers.Should().BeEmpty();
    }

    [Fact]
    public void ExactlyAtTheTimeout_IsStillActive()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        _h.Clock.Advance(Timeout);
        _h.LookupIds("t").Should().Equal(p.Id);
        _h.Db.Nodes().Should().ContainSingle();

        _h.Clock.Advance(TimeSpan.FromTicks(1));
        _h.LookupIds("t").Should().BeEmpty();
        _h.Db.Nodes().Should().BeEmpty();
    }

    [Fact]
    public void OnlyTheSilentPeer_IsHidden()
    {
        var quiet = _h.Identify("10.0.0.1:1000");
        var chatty = _h.Identify("10.0.0.2:1000");
        _h.Register(quiet, "t");
        _h.Register(chatty, "t");

        _h.Clock.Advance(TimeSpan.FromMilliseconds(800));
        _h.Db.Touch(chatty);
        _h.Clock.Advance(TimeSpan.FromMilliseconds(800));

        _h.LookupIds("t").Should().Equal(chatty.Id);
        _h.Db.Nodes().Select(n => n.Peer.Id).Should().Equal(chatty.Id);
    }

    [Fact]
    public void Touch_ReturnsTheTimeSinceThePreviousTouch()
    {
        var p = new IdentifyBody { BroadcastAddress = "b", TcpPort = 1, HttpPort = 2, Version = "v" }.ToPeer("10.0.0.1:1000");

        _h.Db.Touch(p).Should().Be(TimeSpan.Zero);
        _h.Clock.Advance(TimeSpan.FromSeconds(7));
        _h.Db.Touch(p).Should().Be(TimeSpan.FromSeconds(7));
        _h.Clock.Advance(TimeSpan.FromMilliseconds(2500));
        _h.Db.Touch(p).Should().Be(TimeSpan.FromMilliseconds(2500));
        _h.Db.Touch(p).Should().Be(TimeSpan.Zero);
    }
}
