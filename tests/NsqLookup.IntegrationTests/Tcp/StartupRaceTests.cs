using System.Globalization;
using System.Net;
using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Tcp;

/// <summary>
/// An nsqd that connects while the daemon is still starting must never be told <c>"http_port":0</c> (it would then
/// fetch <c>/channels</c> from port 0). The clients connect the moment the TCP port is logged, before HTTP is bound;
/// half the runs also stall the host just after it fires ApplicationStarted (a slow log sink at "Hosting started"),
/// which is where the HTTP port used to be filled in only after the accept loop had begun.
/// </summary>
public sealed class StartupRaceTests(ITestOutputHelper output)
{
    private const int Runs = 16;
    private const int ClientsPerRun = 4;

    [Fact]
    public async Task IdentifyDuringStartup_AlwaysReportsTheBoundPorts()
    {
        for (var run = 0; run < Runs; run++)
        {
            var stall = run % 2 == 0;
            var early = new List<Task<JsonElement>>();
            var gate = new Lock();
            await using var daemon = await TestDaemon.StartAsync(null, keepLogs: line =>
            {
                const string Listening = "INFO: TCP: listening on ";
                if (line.StartsWith(Listening, StringComparison.Ordinal))
                {
                    var endPoint = IPEndPoint.Parse(line[Listening.Length..]);
                    lock (gate)
                    {
                        for (var i = 0; i < ClientsPerRun; i++)
                        {
                            early.Add(Task.Run(() => IdentifyAsync(endPoint)));
                        }
                    }
                }
                else if (stall && line == "DEBUG: Hosting started")
                {
                    Thread.Sleep(300); // the stall under test: a slow log sink holding the host at "Hosting started"
                }

                return false;
            });

            Task<JsonElement>[] clients;
            lock (gate)
            {
                clients = [.. early];
            }

            clients.Should().HaveCount(ClientsPerRun);
            foreach (var answer in await Task.WhenAll(clients).WaitAsync(TestDaemon.Timeout))
            {
                answer.GetProperty("http_port").GetInt32().Should().Be(daemon.HttpPort, $"run {run} (stall: {stall})");
                answer.GetProperty("tcp_port").GetInt32().Should().Be(daemon.TcpEndPoint.Port);
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Runs * ClientsPerRun} early IDENTIFYs, none saw port 0"));
    }

    private static async Task<JsonElement> IdentifyAsync(IPEndPoint endPoint)
    {
        await using var client = await TestClient.ConnectAsync(endPoint);
        await client.SendAsync([.. TestClient.Magic, .. TestClient.Identify(TestClient.DefaultIdentifyBody)]);
        using var json = JsonDocument.Parse(await client.ReadFrameAsync());
        return json.RootElement.Clone();
    }
}
