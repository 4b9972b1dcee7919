using NsqLookup.Registry;
using static NsqLookup.Core.Tests.Protocol.ProtocolHarness;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>T38–T52 and T126: REGISTER (and the shared UNREGISTER checks).</summary>
public sealed class RegisterTests
{
    private static readonly byte[] OkFrame = Frame("OK");

    private static async Task<ProtocolHarness> IdentifiedAsync(string peer = "127.0.0.1:5555", ProtocolHarness.Shared? shared = null)
    {
        var h = new ProtocolHarness(peer, shared);
        await h.IdentifyAsync();
        return h;
    }

    [Fact]
    public async Task T38_RegisterBeforeIdentify_MustIdentify()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync("REGISTER t\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID client must IDENTIFY");
        h.Db.Topics().Should().BeEmpty();
    }

    [Fact]
    public async Task T39_UnregisterBeforeIdentify_MustIdentify()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync("UNREGISTER t\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID client must IDENTIFY");
    }

    [Theory]
    [InlineData("REGISTER\n", "E_INVALID REGISTER insufficient number of params")]
    [InlineData("REGISTER \n", "E_INVALID REGISTER insufficient number of params")]
    [InlineData("UNREGISTER\n", "E_INVALID UNREGISTER insufficient number of params")]
    public async Task T40_NoTopic_InsufficientParams(string command, string error)
    {
        await using var h = await IdentifiedAsync();
        await h.SendAsync(command);
        await h.ExpectErrorAndCloseAsync(error);
    }

    [Fact]
    public async Task T41_InvalidTopic_BadTopic()
    {
        await using var h = await IdentifiedAsync();
        await h.SendAsync("REGISTER bad$\n");
        await h.ExpectErrorAndCloseAsync("E_BAD_TOPIC REGISTER topic name 'bad$' is not valid");
        h.Logger.Lines.Should().Contain("ERROR: [127.0.0.1:5555] - E_BAD_TOPIC REGISTER topic name 'bad$' is not valid");
    }

    [Fact]
    public async Task T42_InvalidChannel_BadChannel()
    {
        await using var h = await IdentifiedAsync();
        await h.SendAsync("REGISTER ok bad$\n");
        await h.ExpectErrorAndCloseAsync("E_BAD_CHANNEL REGISTER channel name 'bad$' is not valid");
        h.Db.Topics().Should().BeEmpty("nothing is registered when a check fails");
    }

    [Fact]
    public async Task T43_UnregisterInvalidTopic_BadTopic()
    {
        await using var h = await IdentifiedAsync();
        await h.SendAsync("UNREGISTER bad$\n");
        await h.ExpectErrorAndCloseAsync("E_BAD_TOPIC UNREGISTER topic name 'bad$' is not valid");
    }

    [Fact]
    public async Task T43_UnregisterInvalidChannel_BadChannel()
    {
        await using var h = await IdentifiedAsync();
        await h.SendAsync("UNREGISTER t bad$\n");
        await h.ExpectErrorAndCloseAsync("E_BAD_CHANNEL UNREGISTER channel name 'bad$' is not valid");
    }

    [Fact]
    public async Task T44_NameLengthLimitIs64()
    {
        await using var h = await IdentifiedAsync();
        var t64 = new string('t', 64);
        var c64 = new string('c', 64);
        (await h.SendAndReadAsync($"REGISTER {t64} {c64}\n")).Should().Equal(OkFrame);
        h.Db.Channels(t64).Should().Equal(c64);
        await h.SendAsync($"REGISTER {t64} {c64}c\n");
        await h.ExpectErrorAndCloseAsync($"E_BAD_CHANNEL REGISTER channel name '{c64}c' is not valid");
    }

    [Fact]
    public async Task T44_TopicOf65_IsRejected()
    {
        await using var h = await IdentifiedAsync();
        var t65 = new string('t', 65);
        await h.SendAsync($"REGISTER {t65}\n");
        await h.ExpectErrorAndCloseAsync($"E_BAD_TOPIC REGISTER topic name '{t65}' is not valid");
    }

    [Theory]
    [InlineData("#ephemeral")]
    [InlineData("a#ephemeral#ephemeral")]
    [InlineData("é")]
    public async Task T45_InvalidTopicNames_AreRejected(string topic)
    {
        await using var h = await IdentifiedAsync();
        await h.SendAsync($"REGISTER {topic}\n");
        await h.ExpectErrorAndCloseAsync($"E_BAD_TOPIC REGISTER topic name '{topic}' is not valid");
    }

    [Fact]
    public async Task T45_ValidTopicNames_AreAccepted()
    {
        await using var h = await IdentifiedAsync();
        foreach (var topic in new[] { "a#ephemeral", "a.b-c_D9", "." })
        {
            (await h.SendAndReadAsync($"REGISTER {topic}\n")).Should().Equal(OkFrame);
        }

        h.Db.Topics().Should().BeEquivalentTo(".", "a#ephemeral", "a.b-c_D9");
    }

    [Fact]
    public async Task T46_TwoSpaces_GiveEmptyTopic()
    {
        await using var h = await IdentifiedAsync();
        await h.SendAsync("REGISTER  T\n");
        await h.ExpectErrorAndCloseAsync("E_BAD_TOPIC REGISTER topic name '' is not valid");
    }

    [Fact]
    public async Task T47_EmptyChannelToken_RegistersOnlyTheTopic()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t  c\n")).Should().Equal(OkFrame);
        h.Db.Topics().Should().Equal("t");
        h.Db.Channels("t").Should().BeEmpty();
    }

    [Fact]
    public async Task T48_RegisterWithChannel_AddsChannelAndTopic()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t c\n")).Should().Equal(OkFrame);
        h.Db.Topics().Should().Equal("t");
        h.Db.Channels("t").Should().Equal("c");
        var producer = h.Db.Lookup("t")!.Producers.Should().ContainSingle().Subject;
        producer.BroadcastAddress.Should().Be("nsqd1.example");
        producer.TcpPort.Should().Be(4150);
        producer.HttpPort.Should().Be(4151);
        h.Logger.Lines.Should().ContainInOrder(
            "INFO: DB: client(127.0.0.1:5555) REGISTER category:channel key:t subkey:c",
            "INFO: DB: client(127.0.0.1:5555) REGISTER category:topic key:t subkey:");
    }

    [Fact]
    public async Task T49_RegisterTopic_LookupHasNoChannelsAndOneProducer()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        var lookup = h.Db.Lookup("t")!;
        lookup.Channels.Should().BeEmpty();
        lookup.Producers.Should().ContainSingle();
    }

    [Fact]
    public async Task T50_RegisteringTwice_YieldsOneProducer_AndLogsOnce()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        h.Db.Lookup("t")!.Producers.Should().ContainSingle();
        h.Logger.Lines.Count(l => l.Contains("REGISTER category:topic", StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public async Task T51_TokensBeyondChannel_AreIgnored()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t c extra\n")).Should().Equal(OkFrame);
        h.Db.Channels("t").Should().Equal("c");
    }

    [Fact]
    public async Task T52_TwoConnections_AreTwoProducers()
    {
        var shared = new ProtocolHarness.Shared();
        await using var a = await IdentifiedAsync("127.0.0.1:1001", shared);
        await using var b = await IdentifiedAsync("127.0.0.1:1002", shared);
        (await a.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        (await b.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        shared.Db.Lookup("t")!.Producers.Select(p => p.RemoteAddress).Should().BeEquivalentTo("127.0.0.1:1001", "127.0.0.1:1002");
    }

    [Fact]
    public async Task T126_InvalidUtf8Topic_IsEchoedByteForByte()
    {
        await using var h = await IdentifiedAsync();
        await h.SendAsync([.. Ascii("REGISTER "), 0xFF, 0xFE, (byte)'\n']);
        await h.ExpectErrorAndCloseAsync([.. Ascii("E_BAD_TOPIC REGISTER topic name '"), 0xFF, 0xFE, .. Ascii("' is not valid")]);
    }

    [Fact]
    public async Task T126_InvalidUtf8CommandName_IsEchoedByteForByte()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync([0xC3, (byte)'X', (byte)'\n']);
        await h.ExpectErrorAndCloseAsync([.. Ascii("E_INVALID invalid command "), 0xC3, (byte)'X']);
    }

    [Fact]
    public async Task RegisterDoesNotRefreshLiveness_T65()
    {
        await using var h = await IdentifiedAsync();
        h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        (await h.SendAndReadAsync("REGISTER t c2\n")).Should().Equal(OkFrame);
        h.Db.Lookup("t")!.Producers.Should().BeEmpty("REGISTER does not refresh last-update");
        h.Db.Nodes().Should().BeEmpty();
        (await h.SendAndReadAsync("PING\n")).Should().Equal(OkFrame);
        h.Db.Lookup("t")!.Producers.Should().ContainSingle("PING refreshes every entry of the connection");
        h.Db.Nodes().Should().ContainSingle();
        h.Logger.Lines.Should().Contain("INFO: CLIENT(127.0.0.1:5555): pinged (last ping 5m1s)");
    }

    [Fact]
    public async Task T64_NoPing_HidesProducerButKeepsItInDebug()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1));
        h.Db.Lookup("t")!.Producers.Should().BeEmpty();
        h.Db.Debug().Select(d => d.Name).Should().Equal("client::", "topic:t:");
    }

    [Fact]
    public async Task Ping_LogsTheTimeSinceTheLastPing()
    {
        await using var h = await IdentifiedAsync();
        h.Time.Advance(TimeSpan.FromSeconds(15) + TimeSpan.FromTicks(12345));
        (await h.SendAndReadAsync("PING\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("PING\n")).Should().Equal(OkFrame);
        h.Logger.Lines.Should().ContainInOrder(
            "INFO: CLIENT(127.0.0.1:5555): pinged (last ping 15.0012345s)",
            "INFO: CLIENT(127.0.0.1:5555): pinged (last ping 0s)");
    }

    [Fact]
    public async Task TombstoneSurvivesRepeatedRegister_T71()
    {
        await using var h = await IdentifiedAsync();
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        h.Db.Tombstone("t", "nsqd1.example:4151").Should().Be(1);
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        h.Db.Lookup("t")!.Producers.Should().BeEmpty();
        (await h.SendAndReadAsync("UNREGISTER t\n")).Should().Equal(OkFrame);
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        h.Db.Lookup("t")!.Producers.Should().ContainSingle("T72: a fresh entry is not tombstoned");
        h.Db.Topics().Should().Contain("t");
    }
}
