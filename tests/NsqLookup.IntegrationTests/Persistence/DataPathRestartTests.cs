using System.Collections.Concurrent;
using System.Net.Http;
using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Persistence;

/// <summary><c>--data-path</c> with the built binary, across a restart: what HTTP set answers as before a SIGTERM,
/// and nothing acknowledged is lost to a SIGKILL in the middle of a stream of admin actions.</summary>
public sealed class DataPathRestartTests : IDisposable
{
    private const string Node = "nsqd1.example:4151";
    private readonly string _dir = Directory.CreateTempSubdirectory("nsqlookupd-restart-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TopicsChannelsLookupAndTheTombstone_AnswerAsBeforeASigterm()
    {
        Answers before;
        await using (var first = DaemonProcess.Start(Args()))
        {
            var (tcp, http) = await DaemonProcess.WaitListeningAsync(first);
            using var client = Client(http);
            await using var nsqd = await RegisterAsync(tcp, "live");
            await Post(client, "/topic/create?topic=made");
            await Post(client, "/channel/create?topic=made&channel=c");
            await Post(client, "/topic/create?topic=gone");
            await Post(client, "/topic/delete?topic=gone");
            await Post(client, "/topic/tombstone?topic=live&node=" + Node);
            before = await ReadAnswersAsync(client);
            before.LiveProducers.Should().Be("[]", "the tombstone hides the producer before the restart");
            before.LiveTombstones.Should().Be("[true]");
            DaemonProcess.Signal(first, DaemonProcess.SigTerm);
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        await using var second = DaemonProcess.Start(Args());
        var (tcp2, http2) = await DaemonProcess.WaitListeningAsync(second);
        using var client2 = Client(http2);
        // The same nsqd comes back and registers its topic again, as a real one does on reconnect.
        await using var nsqd2 = await RegisterAsync(tcp2, "live");
        var after = await ReadAnswersAsync(client2);
        after.Should().Be(before);
        second.StdErr.Should().Contain("1 tombstones");
    }

    [Fact]
    public async Task EveryAcknowledgedAction_SurvivesASigkillMidStream()
    {
        var acknowledged = new ConcurrentBag<string>();
        await using (var first = DaemonProcess.Start(Args()))
        {
            var (_, http) = await DaemonProcess.WaitListeningAsync(first);
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                using var client = Client(http);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var topic = $"k{w}-{i}";
                    try
                    {
                        using var created = await client.PostAsync($"/topic/create?topic={topic}", null);
                        if ((int)created.StatusCode != 200)
                        {
                            return;
                        }

                        acknowledged.Add(topic);
                        using var channel = await client.PostAsync($"/channel/create?topic={topic}&channel=c", null);
                        if ((int)channel.StatusCode != 200)
                        {
                            return;
                        }

                        acknowledged.Add(topic + "/c");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return; // the daemon is gone
                    }
                }
            })).ToArray();

            await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 200), TimeSpan.FromSeconds(30));
            DaemonProcess.Signal(first, DaemonProcess.SigKill);
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(128 + DaemonProcess.SigKill);
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(TestDaemon.Timeout);
        }

        await using var second = DaemonProcess.Start(Args());
        var (_, http2) = await DaemonProcess.WaitListeningAsync(second);
        using var client2 = Client(http2);
        var topics = JsonDocument.Parse(await client2.GetStringAsync("/topics")).RootElement.GetProperty("topics")
            .EnumerateArray().Select(t => t.GetString()!).ToHashSet();
        var lost = new List<string>();
        foreach (var action in acknowledged)
        {
            var parts = action.Split('/');
            if (parts.Length == 1 ? !topics.Contains(parts[0]) : !(await ChannelsAsync(client2, parts[0])).Contains(parts[1]))
            {
                lost.Add(action);
            }
        }

        lost.Should().BeEmpty($"all {acknowledged.Count} acknowledged actions were fsynced before their 200");
        second.StdErr.Should().NotContain("FATAL");
    }

    private string[] Args() => ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--data-path=" + _dir];

    private static HttpClient Client(System.Net.IPEndPoint http) =>
        new() { BaseAddress = new Uri($"http://{http}"), Timeout = TestDaemon.Timeout };

    private static async Task<TestClient> RegisterAsync(System.Net.IPEndPoint tcp, string topic)
    {
        var nsqd = await TestClient.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, tcp.Port));
        await nsqd.SendAsync(TestClient.Magic);
        await nsqd.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
        (await nsqd.ReadFrameAsync()).Should().StartWith("{");
        (await nsqd.CommandAsync($"REGISTER {topic}\n")).Should().Be("OK");
        return nsqd;
    }

    private static async Task<string[]> ChannelsAsync(HttpClient client, string topic) =>
        JsonDocument.Parse(await client.GetStringAsync("/channels?topic=" + topic)).RootElement.GetProperty("channels")
            .EnumerateArray().Select(c => c.GetString()!).ToArray();

    private static async Task<Answers> ReadAnswersAsync(HttpClient client)
    {
        var nodes = JsonDocument.Parse(await client.GetStringAsync("/nodes")).RootElement.GetProperty("producers");
        nodes.GetArrayLength().Should().Be(1);
        var node = nodes[0];
        var live = JsonDocument.Parse(await client.GetStringAsync("/lookup?topic=live")).RootElement;
        return new Answers(
            await client.GetStringAsync("/topics"),
            await client.GetStringAsync("/channels?topic=made"),
            await client.GetStringAsync("/lookup?topic=made"),
            live.GetProperty("producers").GetRawText(),
            node.GetProperty("topics").GetRawText(),
            node.GetProperty("tombstones").GetRawText(),
            (await client.GetAsync("/lookup?topic=gone")).StatusCode.ToString());
    }

    private static async Task Post(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        ((int)response.StatusCode).Should().Be(200, path);
    }

    /// <summary>What the restart must preserve (<c>remote_address</c> changes with the new connection, so the
    /// <c>/nodes</c> entry is compared by its topics and tombstone flags).</summary>
    private sealed record Answers(
        string Topics, string MadeChannels, string MadeLookup, string LiveProducers, string NodeTopics,
        string LiveTombstones, string GoneLookupStatus);
}
