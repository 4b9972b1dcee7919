using System.Net.Http.Headers;
using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Interop;

/// <summary>
/// What a real nsqd does with our answers (docs/protocol.md, "Commands (client → server)"), without the Go binary:
/// it decodes the IDENTIFY response into typed fields, then calls
/// <c>GET http://&lt;broadcast_address&gt;:&lt;http_port&gt;/channels?topic=</c> with the v1 Accept header to
/// pre-create channels (the T122 flow).
/// </summary>
public sealed class NsqdEmulationTests(ITestOutputHelper output)
{
    // nsqd HEAD's exact IDENTIFY body (keys sorted, topology keys present), from the observed session.
    private const string NsqdIdentify =
        """{"broadcast_address":"127.0.0.1","hostname":"vm","http_port":24251,"tcp_port":24250,"topology_region":"","topology_zone":"","version":"1.3.0"}""";

    [Fact]
    public async Task T122_Shape_NsqdUsesTheIdentifyAnswerToFindPreCreatedChannels()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { BroadcastAddress = "127.0.0.1" });
        (await daemon.Http.PostAsync("/channel/create?topic=pre&channel=pc", null)).EnsureSuccessStatusCode();

        await using var nsqd = await daemon.ConnectAsync();
        await nsqd.SendAsync(TestClient.Magic);
        await nsqd.SendAsync(TestClient.Identify(NsqdIdentify));
        var answer = JsonSerializer.Deserialize<LookupdInfo>(await nsqd.ReadFrameAsync(), StrictOptions)!;
        answer.Version.Should().Be("1.3.0");
        answer.TcpPort.Should().Be(daemon.TcpEndPoint.Port);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{answer.BroadcastAddress}:{answer.HttpPort}/channels?topic=pre");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/vnd.nsq; version=1.0"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var channels = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        channels.RootElement.GetProperty("channels").EnumerateArray().Select(c => c.GetString()).Should().Equal("pc");

        // nsqd then announces the topic and the channel it created.
        (await nsqd.CommandAsync("REGISTER pre\n")).Should().Be("OK");
        (await nsqd.CommandAsync("REGISTER pre pc\n")).Should().Be("OK");
        using var lookup = JsonDocument.Parse(await daemon.Http.GetStringAsync("/lookup?topic=pre"));
        var producer = lookup.RootElement.GetProperty("producers").EnumerateArray().Should().ContainSingle().Subject;
        producer.GetProperty("broadcast_address").GetString().Should().Be("127.0.0.1");
        producer.GetProperty("tcp_port").GetInt32().Should().Be(24250);
        producer.GetProperty("http_port").GetInt32().Should().Be(24251);
    }

    [Fact]
    public async Task T124_Shape_GoNsqConsumerQueryFindsTheProducerAddress()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        await using var nsqd = await daemon.ConnectIdentifiedAsync(NsqdIdentify);
        (await nsqd.CommandAsync("REGISTER orders\n")).Should().Be("OK");

        // go-nsq (consumer.go queryLookupd): v1 Accept header, optional bearer token; it unwraps a pre-1.0
        // envelope unless X-NSQ-Content-Type is exactly "nsq; version=1.0", and then sees zero producers.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/lookup?topic=orders");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/vnd.nsq; version=1.0"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");
        using var response = await daemon.Http.SendAsync(request);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        response.Headers.GetValues("X-NSQ-Content-Type").Should().Equal("nsq; version=1.0");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var producer = body.RootElement.GetProperty("producers").EnumerateArray().Should().ContainSingle().Subject;
        $"{producer.GetProperty("broadcast_address").GetString()}:{producer.GetProperty("tcp_port").GetInt32()}"
            .Should().Be("127.0.0.1:24250");
    }

    private static readonly JsonSerializerOptions StrictOptions = new()
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    // nsqd/lookup_peer.go decodes the answer into these typed fields; a string port would fail there.
    private sealed record LookupdInfo(
        [property: System.Text.Json.Serialization.JsonPropertyName("broadcast_address")] string BroadcastAddress,
        [property: System.Text.Json.Serialization.JsonPropertyName("hostname")] string Hostname,
        [property: System.Text.Json.Serialization.JsonPropertyName("http_port")] int HttpPort,
        [property: System.Text.Json.Serialization.JsonPropertyName("tcp_port")] int TcpPort,
        [property: System.Text.Json.Serialization.JsonPropertyName("version")] string Version);
}
