using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Tcp;

/// <summary>The statements of docs/protocol.md about the TCP listener, over real sockets against the real
/// daemon.</summary>
public sealed class TcpProtocolTests(ITestOutputHelper output)
{
    private static readonly byte[] OkFrame = [0, 0, 0, 2, (byte)'O', (byte)'K'];

    [Fact]
    public async Task T1_PingBeforeIdentify_IsOk_AndConnectionStaysOpen()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("  V1PING\n");
        (await client.ReadExactlyAsync(6)).Should().Equal(OkFrame);
        (await client.StaysSilentAsync(TimeSpan.FromMilliseconds(300))).Should().BeTrue();
        (await client.CommandAsync("PING\n")).Should().Be("OK");
    }

    [Fact]
    public async Task T2_WrongMagic_GetsBadProtocol_AndCloses()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("  V2");
        var all = await client.ReadToEndAsync();
        all.Should().Equal([0, 0, 0, 14, .. "E_BAD_PROTOCOL"u8.ToArray()]);
    }

    [Fact]
    public async Task T3_ThreeMagicBytesAndHalfClose_GetNothing_AndServerCloses()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("  V");
        client.HalfClose();
        (await client.ReadToEndAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task T4_SilentConnection_IsNotClosedWithinFiveSeconds()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        (await client.StaysSilentAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Fact]
    public async Task T5_MagicIdentifyRegisterPingInOneWrite_AnswerInOrder()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        byte[] all = [.. TestClient.Magic, .. TestClient.Identify(TestClient.DefaultIdentifyBody), .. "REGISTER t\nPING\n"u8.ToArray()];
        await client.SendAsync(all);
        (await client.ReadFrameAsync()).Should().StartWith("{\"broadcast_address\":");
        (await client.ReadFrameAsync()).Should().Be("OK");
        (await client.ReadFrameAsync()).Should().Be("OK");
    }

    [Fact]
    public async Task T6_EveryFrameStartsWithItsPayloadLength()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync([.. TestClient.Magic, .. TestClient.Identify(TestClient.DefaultIdentifyBody), .. "PING\nBOGUS\n"u8.ToArray()]);
        var all = await client.ReadToEndAsync();
        var frames = new List<string>();
        for (var at = 0; at < all.Length;)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(all.AsSpan(at));
            frames.Add(Encoding.UTF8.GetString(all, at + 4, size));
            at += 4 + size;
            at.Should().BeLessThanOrEqualTo(all.Length);
        }

        frames.Should().HaveCount(3);
        frames[1].Should().Be("OK");
        frames[2].Should().Be("E_INVALID invalid command BOGUS");
    }

    [Fact]
    public async Task T13_ErrorStopsProcessing_PipelinedPingIsNeverAnswered()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("  V1BOGUS\nPING\n");
        var all = await client.ReadToEndAsync();
        all.Should().Equal([0, 0, 0, 31, .. "E_INVALID invalid command BOGUS"u8.ToArray()]);
    }

    [Fact]
    public async Task T14_PartialLineThenHalfClose_GetsNoResponse()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("  V1PING");
        client.HalfClose();
        (await client.ReadToEndAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task T18_SecondIdentify_IsRejected_AndItsRegistrationsVanish()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectIdentifiedAsync();
        (await client.CommandAsync("REGISTER t\n")).Should().Be("OK");
        await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        (await client.ReadFrameAsync()).Should().Be("E_INVALID cannot IDENTIFY again");
        (await client.ReadToEndAsync()).Should().BeEmpty();
        await Eventually.TrueAsync(async () =>
            await daemon.Http.GetStringAsync("/lookup?topic=t") == "{\"channels\":[],\"producers\":[]}");
    }

    [Fact]
    public async Task T31_ShortIdentifyBody_GetsFailedToReadBody()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync([.. TestClient.Magic, .. "IDENTIFY\n"u8.ToArray(), 0, 0, 0, 100, (byte)'{', (byte)'"']);
        client.HalfClose();
        (await client.ReadFrameAsync()).Should().Be("E_BAD_BODY IDENTIFY failed to read body");
    }

    [Fact]
    public async Task T32_ShortIdentifySize_GetsFailedToReadBodySize()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync([.. TestClient.Magic, .. "IDENTIFY\n"u8.ToArray(), 0, 0]);
        client.HalfClose();
        (await client.ReadFrameAsync()).Should().Be("E_BAD_BODY IDENTIFY failed to read body size");
    }

    [Fact]
    public async Task T33_NegativeIdentifySize_IsRejected_AndTheDaemonKeepsServing()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var bystander = await daemon.ConnectIdentifiedAsync();
        (await bystander.CommandAsync("REGISTER safe\n")).Should().Be("OK");

        await using var client = await daemon.ConnectAsync();
        await client.SendAsync([.. TestClient.Magic, .. "IDENTIFY\n"u8.ToArray(), 0xFF, 0xFF, 0xFF, 0xFF]);
        (await client.ReadFrameAsync()).Should().Be("E_BAD_BODY IDENTIFY invalid body size -1");
        (await client.ReadToEndAsync()).Should().BeEmpty();

        (await daemon.Http.GetStringAsync("/ping")).Should().Be("OK");
        (await bystander.CommandAsync("PING\n")).Should().Be("OK");
        (await daemon.Http.GetStringAsync("/lookup?topic=safe")).Should().Contain(bystander.LocalAddress);
    }

    [Fact]
    public async Task T34_OversizedIdentify_IsRejectedWithoutWaitingForTheBody()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync([.. TestClient.Magic, .. "IDENTIFY\n"u8.ToArray(), 0x7F, 0xFF, 0xFF, 0xFF]);
        (await client.ReadFrameAsync()).Should().Be("E_BAD_BODY IDENTIFY body too big 2147483647 > 65536");
        (await client.ReadToEndAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task T35_IdentifiedPeer_IsANodeWithEmptyLists_ButNoTopicProducer()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectIdentifiedAsync();
        using var nodes = JsonDocument.Parse(await daemon.Http.GetStringAsync("/nodes"));
        var node = nodes.RootElement.GetProperty("producers").EnumerateArray().Should().ContainSingle().Subject;
        node.GetProperty("remote_address").GetString().Should().Be(client.LocalAddress);
        node.GetProperty("topics").GetArrayLength().Should().Be(0);
        node.GetProperty("tombstones").GetArrayLength().Should().Be(0);
        (await daemon.Http.GetAsync("/lookup?topic=any")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task T36_DebugClientEntry_IdIsTheSocketsOwnAddress()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectIdentifiedAsync();
        using var debug = JsonDocument.Parse(await daemon.Http.GetStringAsync("/debug"));
        debug.RootElement.GetProperty("client::")[0].GetProperty("id").GetString().Should().Be(client.LocalAddress);
    }

    [Fact]
    public async Task T37_Ipv6Peer_IsShownBracketed()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { TcpAddress = "[::1]:0" });
        await using var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, daemon.App.TcpEndPoint.Port));
        await client.SendAsync(TestClient.Magic);
        await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        (await client.ReadFrameAsync()).Should().StartWith("{");
        (await client.CommandAsync("REGISTER six\n")).Should().Be("OK");
        var port = ((IPEndPoint)client.Socket.LocalEndPoint!).Port;
        (await daemon.Http.GetStringAsync("/lookup?topic=six")).Should().Contain($"\"remote_address\":\"[::1]:{port}\"");
    }

    [Fact]
    public async Task T48_RegisterTopicAndChannel_IsVisibleOverHttp()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectIdentifiedAsync();
        (await client.CommandAsync("REGISTER t c\n")).Should().Be("OK");
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("{\"topics\":[\"t\"]}");
        (await daemon.Http.GetStringAsync("/channels?topic=t")).Should().Be("{\"channels\":[\"c\"]}");
        using var lookup = JsonDocument.Parse(await daemon.Http.GetStringAsync("/lookup?topic=t"));
        var producer = lookup.RootElement.GetProperty("producers").EnumerateArray().Should().ContainSingle().Subject;
        producer.GetProperty("broadcast_address").GetString().Should().Be("nsqd1.example");
        producer.GetProperty("tcp_port").GetInt32().Should().Be(4150);
        producer.GetProperty("http_port").GetInt32().Should().Be(4151);
    }

    [Fact]
    public async Task T52_TwoConnectionsWithTheSameIdentity_AreTwoProducers()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var a = await daemon.ConnectIdentifiedAsync();
        await using var b = await daemon.ConnectIdentifiedAsync();
        (await a.CommandAsync("REGISTER t\n")).Should().Be("OK");
        (await b.CommandAsync("REGISTER t\n")).Should().Be("OK");
        using var lookup = JsonDocument.Parse(await daemon.Http.GetStringAsync("/lookup?topic=t"));
        lookup.RootElement.GetProperty("producers").EnumerateArray()
            .Select(p => p.GetProperty("remote_address").GetString())
            .Should().BeEquivalentTo([a.LocalAddress, b.LocalAddress]);
    }

    [Fact]
    public async Task T60_T61_Disconnect_RemovesTheProducerButKeepsTheKeys()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var client = await daemon.ConnectIdentifiedAsync();
        (await client.CommandAsync("REGISTER t c\n")).Should().Be("OK");
        var id = client.LocalAddress;
        await client.DisposeAsync();
        await Eventually.TrueAsync(async () => await daemon.Http.GetStringAsync("/nodes") == "{\"producers\":[]}");
        (await daemon.Http.GetStringAsync("/lookup?topic=t")).Should().Be("{\"channels\":[\"c\"],\"producers\":[]}");
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("{\"topics\":[\"t\"]}");
        (await daemon.Http.GetStringAsync("/debug")).Should().NotContain(id);
    }

    [Fact]
    public async Task T62_EphemeralKeysOutliveTheirProducer()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        var client = await daemon.ConnectIdentifiedAsync();
        (await client.CommandAsync("REGISTER e#ephemeral c#ephemeral\n")).Should().Be("OK");
        await client.DisposeAsync();
        await Eventually.TrueAsync(async () => await daemon.Http.GetStringAsync("/nodes") == "{\"producers\":[]}");
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("{\"topics\":[\"e#ephemeral\"]}");
        (await daemon.Http.GetStringAsync("/channels?topic=e%23ephemeral")).Should().Be("{\"channels\":[\"c#ephemeral\"]}");
    }

    [Fact]
    public async Task T63_FatalErrorDisconnect_CleansUpLikeAClose()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectIdentifiedAsync();
        (await client.CommandAsync("REGISTER t\n")).Should().Be("OK");
        (await client.CommandAsync("BOGUS\n")).Should().Be("E_INVALID invalid command BOGUS");
        await Eventually.TrueAsync(async () =>
            await daemon.Http.GetStringAsync("/lookup?topic=t") == "{\"channels\":[],\"producers\":[]}");
    }

    [Fact]
    public async Task T119_WildcardAddress_BindsDualStack()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { TcpAddress = "0.0.0.0:0" });
        var port = daemon.App.TcpEndPoint.Port;
        daemon.Logs.Lines.Should().Contain($"INFO: TCP: listening on [::]:{port}");
        await using (var v4 = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)))
        {
            (await v4.CommandAsync("  V1PING\n")).Should().Be("OK");
        }

        await using var v6 = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, port));
        (await v6.CommandAsync("  V1PING\n")).Should().Be("OK");
    }

    [Fact]
    public async Task T126_InvalidUtf8TopicName_IsEchoedRaw()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectIdentifiedAsync();
        await client.SendAsync([.. "REGISTER "u8.ToArray(), 0xFF, 0xFE, (byte)'\n']);
        var payload = await client.ReadFrameBytesAsync();
        payload.Should().Equal([.. "E_BAD_TOPIC REGISTER topic name '"u8.ToArray(), 0xFF, 0xFE, .. "' is not valid"u8.ToArray()]);
        (await client.ReadToEndAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Shutdown_ClosesConnectedClients()
    {
        var daemon = await TestDaemon.StartAsync(output);
        await using var client = await daemon.ConnectIdentifiedAsync();
        await daemon.DisposeAsync();
        (await client.ReadToEndAsync()).Should().BeEmpty();
    }
}
