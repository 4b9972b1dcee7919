using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>docs/protocol.md, "Registration model": keys and entries; T47–T52, T99.</summary>
public sealed class RegistrationTests
{
    private readonly RegistryHarness _h = new();

    [Fact]
    public void AddRegistration_CreatesTheKeyOnceAndAddsNoProducer()
    {
        _h.Db.AddRegistration(Registration.Topic("x")).Should().BeTrue();
        _h.Db.AddRegistration(Registration.Topic("x")).Should().BeFalse();

        _h.Db.Topics().Should().Contain("x");
        _h.Db.Topics().Should().Equal("x");
        _h.Db.Debug().Should().BeEmpty();
    }

    [Fact]
    public void AddRegistrations_MakesTheSameDirectoryAsOneAddRegistrationPerKey()
    {
        Registration[] keys =
        [
            Registration.Topic("b"), Registration.Topic("a"), Registration.Channel("a", "c2"), Registration.Channel("a", "c1"),
            Registration.Channel("only-channels", "x"), Registration.Topic("a"), Registration.Topic("existing"),
        ];
        var one = new RegistryHarness();
        var bulk = new RegistryHarness();
        foreach (var h in new[] { one, bulk })
        {
            h.Register(h.Identify("10.0.0.1:1000"), "existing");
        }

        foreach (var key in keys)
        {
            one.Db.AddRegistration(key);
        }

        bulk.Db.AddRegistrations(keys).Should().Be(5, "a, b, a:c1, a:c2 and only-channels:x are new; a twice and existing are not");

        bulk.Db.Topics().Should().Equal(one.Db.Topics()).And.Equal("a", "b", "existing");
        bulk.Db.Channels("a").Should().Equal("c1", "c2");
        bulk.Db.Channels("only-channels").Should().Equal(one.Db.Channels("only-channels")).And.Equal("x");
        bulk.Db.Counts().Should().Be(one.Db.Counts());
        one.Db.Lookup("only-channels").Should().BeNull("a channel key alone is no topic");
        bulk.Db.Lookup("only-channels").Should().BeNull();
        bulk.Db.Lookup("a")!.Channels.Should().Equal("c1", "c2");
        bulk.Db.Lookup("existing")!.Producers.Should().HaveCount(1);

        // The batch is over: single adds and deletes update the name lists again.
        bulk.Db.AddRegistration(Registration.Topic("later")).Should().BeTrue();
        bulk.Db.DeleteTopic("b");
        bulk.Db.Topics().Should().Equal("a", "existing", "later");
    }

    [Fact]
    public void T99_HttpCreatedTopic_LooksUpWithEmptyLists()
    {
        _h.Db.AddRegistration(Registration.Topic("x"));

        var result = _h.Db.Lookup("x");

        result.Should().NotBeNull();
        result!.Channels.Should().BeEmpty();
        result.Producers.Should().BeEmpty();
    }

    [Fact]
    public void AddRegistration_OfAnExistingKeyKeepsItsProducers()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        _h.Db.AddRegistration(Registration.Topic("t")).Should().BeFalse();

        _h.LookupIds("t").Should().Equal(p.Id);
    }

    [Fact]
    public void T48_RegisterWithChannel_CreatesTopicAndChannel()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        _h.Db.Topics().Should().Equal("t");
        _h.Db.Channels("t").Should().Equal("c");
        var producer = _h.Db.Lookup("t")!.Producers.Should().ContainSingle().Subject;
        producer.BroadcastAddress.Should().Be("nsqd1.example");
        producer.TcpPort.Should().Be(4150);
        producer.HttpPort.Should().Be(4151);
        producer.RemoteAddress.Should().Be("10.0.0.1:1000");
    }

    [Fact]
    public void T47_T49_RegisterTopicOnly_HasNoChannels()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        _h.Db.Channels("t").Should().BeEmpty();
        var result = _h.Db.Lookup("t")!;
        result.Channels.Should().BeEmpty();
        result.Producers.Should().ContainSingle();
    }

    [Fact]
    public void T50_RegisteringTwice_YieldsOneProducer()
    {
        var p = _h.Identify("10.0.0.1:1000");

        _h.Db.AddProducer(Registration.Topic("t"), p).Should().BeTrue();
        _h.Db.AddProducer(Registration.Topic("t"), p).Should().BeFalse();

        _h.LookupIds("t").Should().Equal(p.Id);
    }

    [Fact]
    public void T52_TwoConnectionsWithIdenticalIdentify_AreTwoProducers()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.1:1001");
        _h.Register(a, "t");
        _h.Register(b, "t");

        _h.LookupIds("t").Should().BeEquivalentTo([a.Id, b.Id]);
        _h.Db.Nodes().Should().HaveCount(2);
    }

    [Fact]
    public void AddProducer_ForAnExistingEntryKeepsItsTombstone()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.Tombstone("t", "nsqd1.example:4151").Should().Be(1);
        var before = _h.DebugEntry("topic:t:", p)!;

        _h.Clock.Advance(TimeSpan.FromSeconds(5));
        _h.Db.AddProducer(Registration.Topic("t"), p).Should().BeFalse();

        _h.DebugEntry("topic:t:", p).Should().Be(before);
        _h.LookupIds("t").Should().BeEmpty();
    }

    [Fact]
    public void Unregister_ReportsWhatItDidAndNeverDeletesADurableKey()
    {
        var a = _h.Identify("10.0.0.1:1000");
        var b = _h.Identify("10.0.0.1:1001");
        _h.Register(a, "t", "c");
        _h.Register(b, "t", "c");

        _h.Db.UnregisterChannel("t", "c", a.Id).Should().BeTrue();
        _h.DebugEntries("channel:t:c").Should().HaveCount(1);
        _h.Db.UnregisterChannel("t", "c", a.Id).Should().BeFalse();
        _h.DebugEntries("channel:t:c").Should().HaveCount(1);
        _h.Db.UnregisterChannel("t", "c", b.Id).Should().BeTrue();
        _h.DebugEntries("channel:t:c").Should().BeEmpty();
        _h.Db.UnregisterTopic("t", a.Id).RemovedTopic.Should().BeTrue();
        _h.LookupIds("t").Should().HaveCount(1);
        _h.Db.UnregisterTopic("t", a.Id).RemovedTopic.Should().BeFalse();
        _h.LookupIds("t").Should().HaveCount(1);
        _h.Db.UnregisterTopic("t", b.Id).RemovedTopic.Should().BeTrue();

        _h.Db.Lookup("t").Should().NotBeNull();
        _h.Db.Channels("t").Should().Contain("c");
        _h.Db.Topics().Should().Equal("t");
        _h.Db.Channels("t").Should().Equal("c");
        _h.LookupIds("t").Should().BeEmpty();
    }

    [Fact]
    public void UnregisterOfAMissingKey_IsANoOp()
    {
        _h.Db.UnregisterTopic("never", "10.0.0.1:1000").Should().BeEquivalentTo(new TopicUnregistration([], false));
        _h.Db.UnregisterChannel("never", "c", "10.0.0.1:1000").Should().BeFalse();
        _h.Db.Topics().Should().NotContain("never");
        _h.Db.Channels("never").Should().BeEmpty();
    }

    [Fact]
    public void ADisconnect_KeepsEphemeralKeys()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "e#ephemeral", "c#ephemeral");

        _h.Db.RemovePeer(p.Id).Should().BeEquivalentTo(
            [Registration.Client, Registration.Channel("e#ephemeral", "c#ephemeral"), Registration.Topic("e#ephemeral")]);
        _h.DebugEntries("channel:e#ephemeral:c#ephemeral").Should().BeEmpty();
        _h.LookupIds("e#ephemeral").Should().BeEmpty();

        _h.Db.Topics().Should().Equal("e#ephemeral");
        _h.Db.Channels("e#ephemeral").Should().Equal("c#ephemeral");
    }

    [Fact]
    public void DeleteChannel_DeletesTheKeyWithItsEntries()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");

        _h.Db.DeleteChannel("t", "c").Should().BeTrue();
        _h.Db.DeleteChannel("t", "c").Should().BeFalse();

        _h.Db.Channels("t").Should().BeEmpty();
        _h.Db.Debug().Select(r => r.Name).Should().NotContain("channel:t:c");
        _h.Db.Topics().Should().Equal("t");
        _h.LookupIds("t").Should().Equal(p.Id);
    }

    [Fact]
    public void DeleteTopic_DropsItFromNodes()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Register(p, "u");

        _h.Db.DeleteTopic("t").Should().Equal(Registration.Topic("t"));

        var node = _h.Node(p)!;
        node.Topics.Should().Equal("u");
        node.Tombstones.Should().Equal(false);
        _h.Db.Lookup("t").Should().BeNull();
    }

    [Fact]
    public void AProducerRemovedWithItsKey_CanRegisterAgain()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");
        _h.Db.DeleteTopic("t");

        _h.Db.AddProducer(Registration.Topic("t"), p).Should().BeTrue();

        _h.LookupIds("t").Should().Equal(p.Id);
        _h.Node(p)!.Topics.Should().Equal("t");
    }

    [Fact]
    public void TopicsAndChannelsListKeysWithoutProducers()
    {
        _h.Db.AddRegistration(Registration.Topic("a"));
        _h.Db.AddRegistration(Registration.Channel("a", "c1"));
        _h.Db.AddRegistration(Registration.Channel("a", "c2"));
        _h.Db.AddRegistration(Registration.Channel("b", "c3"));
        _h.Db.AddRegistration(Registration.Topic("b"));

        _h.Db.Topics().Should().BeEquivalentTo(["a", "b"]);
        _h.Db.Channels("a").Should().BeEquivalentTo(["c1", "c2"]);
        _h.Db.Channels("b").Should().Equal("c3");
        _h.Db.Lookup("a")!.Channels.Should().BeEquivalentTo(["c1", "c2"]);
    }

    [Fact]
    public void T95_ChannelsOfAnUnknownTopic_IsEmpty() => _h.Db.Channels("unknown").Should().BeEmpty();

    [Fact]
    public void T92_LookupOfAnUnknownTopic_IsNull()
    {
        _h.Db.Lookup("unknown").Should().BeNull();
        _h.Db.Lookup("").Should().BeNull();
        _h.Db.Lookup("bad$").Should().BeNull();
    }

    [Fact]
    public void Channels_OutliveADeletedTopicKey()
    {
        // The T58 shape: the topic key is gone, its channel keys are not (an ephemeral topic's last producer left).
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t#ephemeral", "ch");

        _h.Db.UnregisterTopic("t#ephemeral", p.Id).RemovedTopic.Should().BeTrue();

        _h.Db.Topics().Should().BeEmpty();
        _h.Db.Lookup("t#ephemeral").Should().BeNull();
        _h.Db.Channels("t#ephemeral").Should().Equal("ch");
    }

    [Fact]
    public void AChannelOnlyKey_DoesNotMakeTheTopicExist()
    {
        _h.Db.AddRegistration(Registration.Channel("t", "c"));

        _h.Db.Channels("t").Should().Equal("c");
        _h.Db.Lookup("t").Should().BeNull();
    }

    [Fact]
    public void Names_AreCaseSensitiveKeys()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "T", "C");
        _h.Db.AddRegistration(Registration.Topic("t"));

        _h.Db.Topics().Should().BeEquivalentTo(["T", "t"]);
        _h.Db.Channels("t").Should().BeEmpty();
        _h.LookupIds("t").Should().BeEmpty();
        _h.LookupIds("T").Should().Equal(p.Id);
    }

    [Fact]
    public void Queries_ReturnCopies()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t", "c");
        var topics = _h.Db.Topics();
        var channels = _h.Db.Channels("t");
        var lookup = _h.Db.Lookup("t")!;
        var node = _h.Node(p)!;
        var debug = _h.Db.Debug();

        _h.Register(p, "u", "d");
        _h.Register(p, "t", "e");
        _h.Db.RemovePeer(p.Id);

        topics.Should().Equal("t");
        channels.Should().Equal("c");
        lookup.Channels.Should().Equal("c");
        lookup.Producers.Should().ContainSingle();
        node.Topics.Should().Equal("t");
        debug.Should().HaveCount(3);
        debug.Should().OnlyContain(r => r.Entries.Count == 1);
    }
}
