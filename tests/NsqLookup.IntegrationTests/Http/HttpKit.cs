using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>Helpers for the HTTP tests: seeding producers the way IDENTIFY/REGISTER do, plain and raw requests.</summary>
internal static class HttpKit
{
    public const string NsqHeader = "X-Nsq-Content-Type";
    public const string NsqValue = "nsq; version=1.0";
    public const string JsonType = "application/json; charset=utf-8";

    public static IdentifyBody Body(string hostname = "h1", string zone = "", string region = "") => new()
    {
        BroadcastAddress = "nsqd1.example",
        Hostname = hostname,
        TcpPort = 4150,
        HttpPort = 4151,
        Version = "1.3.0",
        TopologyZone = zone,
        TopologyRegion = region,
    };

    /// <summary>What IDENTIFY then <c>REGISTER topic [channel]</c> do: <c>"t"</c> or <c>"t/c"</c> per registration.</summary>
    public static PeerInfo Seed(TestDaemon daemon, string id, IdentifyBody body, params string[] registrations)
    {
        var db = daemon.App.Registry;
        var peer = body.ToPeer(id);
        db.Touch(peer);
        db.AddProducer(Registration.Client, peer);
        foreach (var r in registrations)
        {
            Register(daemon, peer, r);
        }

        return peer;
    }

    public static PeerInfo Seed(TestDaemon daemon, params string[] registrations) =>
        Seed(daemon, "127.0.0.1:50001", Body(), registrations);

    public static void Register(TestDaemon daemon, PeerInfo peer, string registration)
    {
        var db = daemon.App.Registry;
        var slash = registration.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            db.AddProducer(Registration.Topic(registration), peer);
        }
        else
        {
            db.AddProducer(Registration.Channel(registration[..slash], registration[(slash + 1)..]), peer);
            db.AddProducer(Registration.Topic(registration[..slash]), peer);
        }
    }

    public static async Task<Reply> SendAsync(TestDaemon daemon, HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        using var response = await daemon.Http.SendAsync(request);
        return await Reply.FromAsync(response);
    }

    public static Task<Reply> GetAsync(TestDaemon daemon, string url) => SendAsync(daemon, HttpMethod.Get, url);

    public static Task<Reply> PostAsync(TestDaemon daemon, string url) => SendAsync(daemon, HttpMethod.Post, url);

    public static async Task<JsonElement> GetJsonAsync(TestDaemon daemon, string url)
    {
        var reply = await GetAsync(daemon, url);
        reply.Status.Should().Be(200, reply.Text);
        return JsonDocument.Parse(reply.Body).RootElement.Clone();
    }

    public static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    public static async Task<string[]> TopicsAsync(TestDaemon daemon) => Strings((await GetJsonAsync(daemon, "/topics")).GetProperty("topics"));

    public static async Task<string[]> ChannelsAsync(TestDaemon daemon, string topic) =>
        Strings((await GetJsonAsync(daemon, "/channels?topic=" + topic)).GetProperty("channels"));

    public static async Task<JsonElement[]> LookupProducersAsync(TestDaemon daemon, string topic) =>
        [.. (await GetJsonAsync(daemon, "/lookup?topic=" + topic)).GetProperty("producers").EnumerateArray()];

    public static async Task<JsonElement[]> NodesAsync(TestDaemon daemon) =>
        [.. (await GetJsonAsync(daemon, "/nodes")).GetProperty("producers").EnumerateArray()];

    public static string[] Keys(JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name)];

    /// <summary>Sends <paramref name="head"/> (request line and headers, no final blank line) over a raw socket
    /// with <c>Connection: close</c>, so HttpClient cannot normalise the target, and reads the whole answer.</summary>
    public static async Task<RawReply> RawAsync(TestDaemon daemon, string head)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, daemon.HttpPort).WaitAsync(TestDaemon.Timeout);
        var request = head + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None).WaitAsync(TestDaemon.Timeout);
        var all = new List<byte>();
        var buffer = new byte[8192];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            if (n == 0)
            {
                break;
            }

            all.AddRange(buffer.AsSpan(0, n));
        }

        return RawReply.Parse([.. all]);
    }
}
