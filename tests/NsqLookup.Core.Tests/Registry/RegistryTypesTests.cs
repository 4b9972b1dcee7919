using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>The small value types behind the DB: keys, the IDENTIFY body check, the peer record.</summary>
public sealed class RegistryTypesTests
{
    private static readonly IdentifyBody Valid = new()
    {
        BroadcastAddress = "nsqd1.example",
        Hostname = "h1",
        TcpPort = 4150,
        HttpPort = 4151,
        Version = "1.3.0",
        TopologyZone = "z1",
        TopologyRegion = "r1",
    };

    [Fact]
    public void RegistrationNames_AreTheDebugMemberNames()
    {
        Registration.Client.ToString().Should().Be("client::");
        Registration.Topic("t").ToString().Should().Be("topic:t:");
        Registration.Channel("t", "c").ToString().Should().Be("channel:t:c");
    }

    [Fact]
    public void Registration_IsAValueKey()
    {
        Registration.Topic("t").Should().Be(new Registration("topic", "t", ""));
        Registration.Channel("t", "c").Should().NotBe(Registration.Channel("T", "c"));
        Registration.Topic("t").IsTopic.Should().BeTrue();
        Registration.Channel("t", "c").Should().Be(new Registration("channel", "t", "c"));
        Registration.Client.IsTopic.Should().BeFalse();
        Registration.Client.Should().Be(new Registration("client", "", ""));
    }

    [Fact]
    public void IdentifyBody_WithEveryRequiredFieldPasses() => Valid.HasRequiredFields.Should().BeTrue();

    [Fact]
    public void T19_T20_MissingRequiredField_Fails()
    {
        (Valid with { BroadcastAddress = "" }).HasRequiredFields.Should().BeFalse();
        (Valid with { TcpPort = 0 }).HasRequiredFields.Should().BeFalse();
        (Valid with { HttpPort = 0 }).HasRequiredFields.Should().BeFalse();
        (Valid with { Version = "" }).HasRequiredFields.Should().BeFalse();
        new IdentifyBody().HasRequiredFields.Should().BeFalse();
    }

    [Fact]
    public void T21_T29_HostnameOptional_NegativePortAccepted()
    {
        (Valid with { Hostname = "" }).HasRequiredFields.Should().BeTrue();
        (Valid with { TcpPort = -5 }).HasRequiredFields.Should().BeTrue();
        (Valid with { TopologyZone = "", TopologyRegion = "" }).HasRequiredFields.Should().BeTrue();
    }

    [Fact]
    public void PeerInfo_CopiesTheBodyAndUsesTheIdAsRemoteAddress()
    {
        var peer = Valid.ToPeer("[::1]:50000");

        peer.Id.Should().Be("[::1]:50000");
        peer.RemoteAddress.Should().Be("[::1]:50000");
        peer.BroadcastAddress.Should().Be("nsqd1.example");
        peer.Hostname.Should().Be("h1");
        peer.TcpPort.Should().Be(4150);
        peer.HttpPort.Should().Be(4151);
        peer.Version.Should().Be("1.3.0");
        peer.TopologyZone.Should().Be("z1");
        peer.TopologyRegion.Should().Be("r1");
    }
}
