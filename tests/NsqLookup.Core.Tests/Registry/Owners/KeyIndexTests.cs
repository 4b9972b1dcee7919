using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry.Owners;

/// <summary>The key index: keys, topic nodes, interned names, name lists and the channel-key count always agree.</summary>
public sealed class KeyIndexTests
{
    private readonly KeyIndex _index = new();

    [Fact]
    public void AKey_IsCreatedOnceAndListedByItsKind()
    {
        _index.Ensure(Registration.Channel("t", "c"), 0, out var created).Should().NotBeNull();
        created.Should().BeTrue();
        _index.Ensure(Registration.Channel("t", "c"), 0, out created);
        created.Should().BeFalse();

        _index.TopicNames.Should().BeEmpty("a channel key alone is no topic key");
        _index.NodeNames.Should().Equal("t");
        _index.ChannelKeys.Should().Be(1);
        _index.Topic("t")!.ChannelNames.Should().Equal("c");

        _index.Ensure(Registration.Topic("t"), 0, out _);
        _index.Ensure(Registration.Client, 0, out _);
        _index.TopicNames.Should().Equal("t");
        _index.Client.Should().BeSameAs(_index.Find(Registration.Client));
    }

    [Fact]
    public void Names_AreInternedAcrossKeys()
    {
        var a = _index.Ensure(Registration.Channel(new string("topic".AsSpan()), "c"), 0, out _);
        var b = _index.Ensure(Registration.Topic(new string("topic".AsSpan())), 0, out _);
        ReferenceEquals(a.Registration.Key, b.Registration.Key).Should().BeTrue();
    }

    [Fact]
    public void AKeyWithEntries_CannotBeRemoved()
    {
        var key = _index.Ensure(Registration.Topic("t"), 0, out _);
        key.Add(0);
        var act = () => _index.Remove(key);
        act.Should().Throw<InvalidOperationException>();
        _index.TopicNames.Should().Equal("t");
    }

    [Fact]
    public void TheTopicNode_GoesWithItsLastKeyAndTheListsFollow()
    {
        var topic = _index.Ensure(Registration.Topic("t"), 0, out _);
        var channel = _index.Ensure(Registration.Channel("t", "c"), 0, out _);
        var node = _index.Topic("t")!;
        var version = node.LookupVersion;

        _index.Remove(topic);
        node.LookupVersion.Should().NotBe(version);
        _index.TopicNames.Should().BeEmpty();
        _index.NodeNames.Should().Equal(["t"], "its channel key keeps the node");
        _index.Find(Registration.Channel("t", "c")).Should().BeSameAs(channel);

        _index.Remove(channel);
        _index.NodeNames.Should().BeEmpty();
        _index.ChannelKeys.Should().Be(0);
        _index.Topic("t").Should().BeNull();
    }

    [Fact]
    public void EnsureMany_PublishesTheNameListsOnceWithEveryKey()
    {
        var before = _index.TopicNames;
        _index.EnsureMany([Registration.Topic("b"), Registration.Topic("a"), Registration.Channel("c", "x")], 0)
            .Should().Be(3);
        before.Should().BeEmpty("a published list is never changed");
        _index.TopicNames.Should().Equal("a", "b");
        _index.NodeNames.Should().Equal("a", "b", "c");
        _index.Ensure(Registration.Topic("d"), 0, out _);
        _index.TopicNames.Should().Equal(["a", "b", "d"], "the batch is over: single adds publish again");
    }

    [Fact]
    public void ARegistrationNsqlookupdDoesNotKeep_IsRefused()
    {
        var act = () => _index.Ensure(new Registration("producer", "x", ""), 0, out _);
        act.Should().Throw<ArgumentException>();
        _index.Find(new Registration("topic", "t", "sub")).Should().BeNull();
    }
}
