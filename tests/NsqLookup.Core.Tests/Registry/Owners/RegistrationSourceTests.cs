using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry.Owners;

/// <summary>A second feed of registrations goes through the same facade as TCP connections: its peers are distinct
/// from local connections with the same <c>ip:port</c>, and leaving removes exactly its own entries.</summary>
public sealed class RegistrationSourceTests
{
    private readonly RegistryHarness _h = new();
    private readonly RegistrationSource _fleet = new("fleet");

    [Fact]
    public void APeerOfAnotherSource_RegistersAndLeavesWithoutTouchingTheLocalConnection()
    {
        var local = _h.Identify("10.0.0.1:1000");
        _h.Register(local, "t");
        var remote = new PeerInfo("10.0.0.1:1000", "nsqd2.example", "h2", 4150, 4151, "1.3.0");
        var who = new PeerIdentity(_fleet, remote.Id);
        _h.Db.Touch(remote);

        _h.Db.AddProducer(Registration.Client, who, remote).Should().BeTrue();
        _h.Db.AddProducer(Registration.Topic("t"), who, remote).Should().BeTrue();
        _h.Db.AddProducer(Registration.Channel("t", "c"), who, remote).Should().BeTrue();
        _h.LookupIds("t").Should().HaveCount(2);
        _h.Db.Nodes().Select(n => n.Peer.BroadcastAddress).Should().BeEquivalentTo(["nsqd1.example", "nsqd2.example"]);
        _h.Db.Counts().Producers.Should().Be(2);

        _h.Db.UnregisterChannel("t", "c", who).Should().BeTrue();
        _h.Db.UnregisterChannel("t", "c", local.Id).Should().BeFalse("the local connection never registered it");

        var departure = _h.Db.DetachPeer(who)!;
        _h.Db.ReleasePeer(departure).Should().Equal(Registration.Client, Registration.Topic("t"));
        _h.Db.Lookup("t")!.Producers.Should().ContainSingle().Which.Should().BeSameAs(local);
        _h.Db.DetachPeer(who).Should().BeNull();
    }
}
