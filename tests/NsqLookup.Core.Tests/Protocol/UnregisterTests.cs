using static NsqLookup.Core.Tests.Protocol.ProtocolHarness;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>T53–T59: UNREGISTER effects (docs/protocol.md, "Registration model").</summary>
public sealed class UnregisterTests
{
    private static readonly byte[] OkFrame = Frame("OK");

    private static async Task<ProtocolHarness> IdentifiedAsync(string peer = "127.0.0.1:5555", ProtocolHarness.Shared? shared = null)
    {
        var h = new ProtocolHarness(peer, shared);
        await h.IdentifyAsync();
        return h;
    }

    [Fact]
    public async Task T53_UnregisterNonEphemeralChannel_KeepsKeyAndTopic()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t c\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("UNREGISTER t c\n")).Should().Equal(OkFrame);
        h.Db.Channels("t").Should().Equal("c");
        h.Db.Lookup("t")!.Producers.Should().ContainSingle();
        h.Logger.Lines.Should().Contain("INFO: DB: client(127.0.0.1:5555) UNREGISTER category:channel key:t subkey:c");
    }

    [Fact]
    public async Task T54_UnregisterEphemeralChannelByOnlyRegistrant_RemovesIt()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t c#ephemeral\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("UNREGISTER t c#ephemeral\n")).Should().Equal(OkFrame);
        h.Db.Channels("t").Should().BeEmpty();
    }

    [Fact]
    public async Task T55_UnregisterEphemeralChannelWithAnotherRegistrant_KeepsIt()
    {
        var shared = new ProtocolHarness.Shared();
        await using var a = await IdentifiedAsync("127.0.0.1:1001", shared);
        await using var b = await IdentifiedAsync("127.0.0.1:1002", shared);
        (await a.SendAndReadAsync("REGISTER t c#ephemeral\n")).Should().Equal(OkFrame);
        (await b.SendAndReadAsync("REGISTER t c#ephemeral\n")).Should().Equal(OkFrame);
        (await a.SendAndReadAsync("UNREGISTER t c#ephemeral\n")).Should().Equal(OkFrame);
        shared.Db.Channels("t").Should().Equal("c#ephemeral");
    }

    [Fact]
    public async Task T56_UnregisterTopic_RemovesProducerButKeepsKeys()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t c\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("UNREGISTER t\n")).Should().Equal(OkFrame);
        h.Db.Lookup("t")!.Producers.Should().BeEmpty();
        h.Db.Topics().Should().Equal("t");
        h.Db.Channels("t").Should().Equal("c");
        h.Logger.Lines.Should().ContainInOrder(
            "WARNING: client(127.0.0.1:5555) unexpected UNREGISTER category:channel key:t subkey:c",
            "INFO: DB: client(127.0.0.1:5555) UNREGISTER category:topic key:t subkey:");
    }

    [Fact]
    public async Task T57_UnregisterTopic_LeavesEphemeralChannelKey()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t x#ephemeral\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("UNREGISTER t\n")).Should().Equal(OkFrame);
        h.Db.Channels("t").Should().Equal("x#ephemeral");
    }

    [Fact]
    public async Task T58_UnregisterEphemeralTopicByOnlyRegistrant_RemovesTopicKeyOnly()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER e#ephemeral ch\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("UNREGISTER e#ephemeral\n")).Should().Equal(OkFrame);
        h.Db.Topics().Should().BeEmpty();
        h.Db.Lookup("e#ephemeral").Should().BeNull();
        h.Db.Channels("e#ephemeral").Should().Equal("ch");
    }

    [Fact]
    public async Task T59_UnregisterUnknown_IsOk_AndLogsNothing()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("UNREGISTER never\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("UNREGISTER never c\n")).Should().Equal(OkFrame);
        h.Logger.Lines.Should().NotContain(l => l.Contains("UNREGISTER", StringComparison.Ordinal));
    }
}
