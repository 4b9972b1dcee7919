using System.Buffers;
using System.Text;
using NsqLookup.Protocol;
using NsqLookup.Registry;
using static NsqLookup.Core.Tests.Protocol.ProtocolHarness;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>T15–T37: IDENTIFY through the protocol loop.</summary>
public sealed class IdentifyTests
{
    private const string DecodeError = "E_BAD_BODY IDENTIFY failed to decode JSON body";
    private const string MissingFields = "E_BAD_BODY IDENTIFY missing fields";

    [Fact]
    public async Task T15_Response_HasExactlyFiveKeysInOrder()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync(IdentifyCommand());
        var frame = await h.ReadFrameAsync();
        Encoding.UTF8.GetString(frame.AsSpan(4)).Should().Be(
            """{"broadcast_address":"lk1.example","hostname":"vm","http_port":4161,"tcp_port":4160,"version":"1.3.0"}""");
    }

    [Fact]
    public async Task T16_T17_Response_UsesServerIdentityValuesAtResponseTime()
    {
        var identity = new ServerIdentity { BroadcastAddress = "lk1.example", Hostname = "vm", TcpPort = 40123, HttpPort = 40124 };
        await using var h = new ProtocolHarness(shared: new ProtocolHarness.Shared(identity));
        await h.SendAsync(IdentifyCommand());
        Encoding.UTF8.GetString((await h.ReadFrameAsync()).AsSpan(4)).Should().Be(
            """{"broadcast_address":"lk1.example","hostname":"vm","http_port":40124,"tcp_port":40123,"version":"1.3.0"}""");
    }

    [Fact]
    public async Task T18_SecondIdentify_IsRejected_AndRegistrationsVanish()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(Frame("OK"));
        await h.SendAsync(IdentifyCommand());
        await h.ExpectErrorAndCloseAsync("E_INVALID cannot IDENTIFY again");
        h.Db.Lookup("t")!.Producers.Should().BeEmpty();
    }

    [Fact]
    public async Task T18_SecondIdentify_IsRejectedBeforeItsBodyArrives()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        await h.SendAsync("IDENTIFY\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID cannot IDENTIFY again");
    }

    [Fact]
    public async Task T19_MissingBroadcastAddress_IsMissingFields()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync(IdentifyCommand("""{"hostname":"h1","tcp_port":4150,"http_port":4151,"version":"1.3.0"}"""));
        await h.ExpectErrorAndCloseAsync(MissingFields);
        h.Db.Nodes().Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"broadcast_address":"a","tcp_port":0,"http_port":4151,"version":"1.3.0"}""")]
    [InlineData("""{"broadcast_address":"a","http_port":4151,"version":"1.3.0"}""")]
    [InlineData("""{"broadcast_address":"a","tcp_port":4150,"http_port":0,"version":"1.3.0"}""")]
    [InlineData("""{"broadcast_address":"a","tcp_port":4150,"version":"1.3.0"}""")]
    [InlineData("""{"broadcast_address":"a","tcp_port":4150,"http_port":4151}""")]
    [InlineData("""{"broadcast_address":"a","tcp_port":4150,"http_port":4151,"version":""}""")]
    public async Task T20_ZeroOrMissingRequiredField_IsMissingFields(string json)
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync(IdentifyCommand(json));
        await h.ExpectErrorAndCloseAsync(MissingFields);
    }

    [Fact]
    public async Task T21_MissingHostname_Succeeds()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync("""{"broadcast_address":"a","tcp_port":4150,"http_port":4151,"version":"1.3.0"}""");
        h.Db.Nodes().Should().ContainSingle().Which.Peer.Hostname.Should().Be("");
    }

    [Theory]
    [InlineData("""{"broadcast_address":"a","tcp_port":"4150","http_port":4151,"version":"1.3.0"}""")]
    [InlineData("""{"broadcast_address":"a","tcp_port":4150.5,"http_port":4151,"version":"1.3.0"}""")]
    [InlineData("""{"broadcast_address":"a","tcp_port":4150.0,"http_port":4151,"version":"1.3.0"}""")]
    public async Task T22_T23_PortOfWrongType_IsDecodeError(string json)
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync(IdentifyCommand(json));
        await h.ExpectErrorAndCloseAsync(DecodeError);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task T24_NonObjectBody_IsDecodeError(string body)
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync(IdentifyCommand(body));
        await h.ExpectErrorAndCloseAsync(DecodeError);
    }

    [Fact]
    public async Task T24_NullBody_IsMissingFields()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync(IdentifyCommand("null"));
        await h.ExpectErrorAndCloseAsync(MissingFields);
    }

    [Fact]
    public async Task T25_TrailingGarbage_IsDecodeError()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync(IdentifyCommand(StandardBody + " xyz"));
        await h.ExpectErrorAndCloseAsync(DecodeError);
    }

    [Fact]
    public async Task T25_TrailingWhitespace_Succeeds()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync(StandardBody + "   \n");
    }

    [Fact]
    public async Task T26_UnknownKeys_AreIgnored()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync(StandardBody[..^1] + ""","extra":{"x":1}}""");
    }

    [Fact]
    public async Task T27_RemoteAddressInBody_IsReplacedByThePeerAddress()
    {
        await using var h = new ProtocolHarness("10.1.2.3:45678");
        await h.IdentifyAsync(StandardBody[..^1] + ""","remote_address":"spoof:1"}""");
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(Frame("OK"));
        h.Db.Lookup("t")!.Producers.Should().ContainSingle().Which.RemoteAddress.Should().Be("10.1.2.3:45678");
    }

    [Fact]
    public async Task T28_KeysMatchCaseInsensitively()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync("""{"Broadcast_Address":"CASE.example","tcp_port":4150,"http_port":4151,"version":"1.3.0"}""");
        h.Db.Nodes().Should().ContainSingle().Which.Peer.BroadcastAddress.Should().Be("CASE.example");
    }

    [Fact]
    public async Task T29_NegativePort_IsAccepted()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync("""{"broadcast_address":"a","tcp_port":-5,"http_port":4151,"version":"1.3.0"}""");
        h.Db.Nodes().Should().ContainSingle().Which.Peer.TcpPort.Should().Be(-5);
        h.Logger.Lines.Should().Contain("INFO: CLIENT(127.0.0.1:5555): IDENTIFY Address:a TCP:-5 HTTP:4151 Version:1.3.0");
    }

    [Fact]
    public async Task T30_ExtraTokensOnIdentifyLine_Succeed()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync([.. Ascii("IDENTIFY foo bar\n"), .. SizePrefix(StandardBody.Length), .. Ascii(StandardBody)]);
        (await h.ReadFrameAsync()).Should().Equal(h.IdentifyResponseFrame());
    }

    [Fact]
    public async Task T31_ShortBodyThenHalfClose_FailsToReadBody()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync([.. Ascii("IDENTIFY\n"), .. SizePrefix(100), (byte)'{', (byte)'"']);
        await h.HalfCloseAsync();
        await h.ExpectErrorAndCloseAsync("E_BAD_BODY IDENTIFY failed to read body");
        h.Logger.Lines.Should().Contain("ERROR: [127.0.0.1:5555] - E_BAD_BODY IDENTIFY failed to read body - unexpected EOF");
    }

    [Fact]
    public async Task T32_ShortSizeThenHalfClose_FailsToReadBodySize()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync([.. Ascii("IDENTIFY\n"), 0x00, 0x00]);
        await h.HalfCloseAsync();
        await h.ExpectErrorAndCloseAsync("E_BAD_BODY IDENTIFY failed to read body size");
    }

    [Fact]
    public async Task T33_NegativeIdentifySize_GetsInvalidBodySize()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync([.. Ascii("IDENTIFY\n"), 0xFF, 0xFF, 0xFF, 0xFF]);
        await h.ExpectErrorAndCloseAsync("E_BAD_BODY IDENTIFY invalid body size -1");
    }

    [Fact]
    public async Task T34_SizeAboveCap_IsRejectedWithoutWaitingForBody()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync([.. Ascii("IDENTIFY\n"), .. SizePrefix(65537)]);
        await h.ExpectErrorAndCloseAsync("E_BAD_BODY IDENTIFY body too big 65537 > 65536");
    }

    [Fact]
    public async Task T34_SizeAtCap_IsRead()
    {
        await using var h = new ProtocolHarness(limits: new() { MaxIdentifyBodySize = 200 });
        var body = StandardBody + new string(' ', 200 - StandardBody.Length);
        await h.IdentifyAsync(body);
    }

    [Fact]
    public async Task T34_BodyOfExactlyTheDefaultCap_IsRead()
    {
        await using var h = new ProtocolHarness();
        var body = StandardBody + new string(' ', 64 * 1024 - StandardBody.Length);
        await h.IdentifyAsync(body);
    }

    [Fact]
    public async Task Magic_ShortRead_ReportsEofKind()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        await pipe.Writer.WriteAsync("  V"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        var (magic, partial) = await ProtocolMagic.ReadAsync(pipe.Reader).AsTask().WaitAsync(ProtocolHarness.Timeout);
        magic.Should().BeNull();
        partial.Should().BeTrue();
    }

    [Fact]
    public async Task Magic_ConsumesOnlyFourBytes()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        await pipe.Writer.WriteAsync("  V1PING\n"u8.ToArray());
        var (magic, _) = await ProtocolMagic.ReadAsync(pipe.Reader).AsTask().WaitAsync(ProtocolHarness.Timeout);
        ProtocolMagic.IsV1(magic).Should().BeTrue();
        var rest = await pipe.Reader.ReadAsync().AsTask().WaitAsync(ProtocolHarness.Timeout);
        rest.Buffer.ToArray().Should().Equal("PING\n"u8.ToArray());
    }

    [Fact]
    public async Task T35_IdentifyAlone_ListsNodeWithNoTopics()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        var node = h.Db.Nodes().Should().ContainSingle().Subject;
        node.Topics.Should().BeEmpty();
        node.Tombstones.Should().BeEmpty();
        node.Peer.BroadcastAddress.Should().Be("nsqd1.example");
        h.Db.Lookup("t").Should().BeNull();
    }

    [Fact]
    public async Task T36_IdentifyAddsClientRegistrationWithPeerId()
    {
        await using var h = new ProtocolHarness("127.0.0.1:51258");
        await h.IdentifyAsync();
        var client = h.Db.Debug().Should().ContainSingle().Subject;
        client.Name.Should().Be("client::");
        client.Entries.Should().ContainSingle().Which.Peer.Id.Should().Be("127.0.0.1:51258");
        h.Logger.Lines.Should().ContainInOrder(
            "INFO: CLIENT(127.0.0.1:51258): IDENTIFY Address:nsqd1.example TCP:4150 HTTP:4151 Version:1.3.0",
            "INFO: DB: client(127.0.0.1:51258) REGISTER category:client key: subkey:");
    }

    [Fact]
    public async Task T37_Ipv6PeerId_IsKeptAsGiven()
    {
        await using var h = new ProtocolHarness("[::1]:45106");
        await h.IdentifyAsync();
        h.Db.Nodes().Should().ContainSingle().Which.Peer.RemoteAddress.Should().Be("[::1]:45106");
    }

    [Fact]
    public async Task T131_InvalidUtf8InHostname_BecomesReplacementCharacters()
    {
        await using var h = new ProtocolHarness();
        byte[] body = [.. Ascii("{\"broadcast_address\":\"a\",\"hostname\":\"h"), 0xFE, 0xFF, .. Ascii("\",\"tcp_port\":1,\"http_port\":2,\"version\":\"v\"}")];
        await h.SendAsync(IdentifyCommand(body));
        (await h.ReadFrameAsync()).Should().Equal(h.IdentifyResponseFrame());
        h.Db.Nodes().Should().ContainSingle().Which.Peer.Hostname.Should().Be("h\uFFFD\uFFFD");
    }

    [Fact]
    public async Task IdentifyStartsTheLivenessClock()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        h.Db.Nodes().Should().BeEmpty("IDENTIFY stamped last-update with the fake clock's now");
        h.Client.Peer.Should().BeOfType<PeerInfo>();
    }

    [Fact]
    public void ProtocolMagic_IsTwoSpacesV1()
    {
        ProtocolMagic.IsV1("  V1"u8).Should().BeTrue();
        ProtocolMagic.IsV1("  V2"u8).Should().BeFalse();
        Frame(ProtocolError.BadProtocol.Payload).Should().Equal(
            0x00, 0x00, 0x00, 0x0E, 0x45, 0x5F, 0x42, 0x41, 0x44, 0x5F, 0x50, 0x52, 0x4F, 0x54, 0x4F, 0x43, 0x4F, 0x4C);
    }
}
