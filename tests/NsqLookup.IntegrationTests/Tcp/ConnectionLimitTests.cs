using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.IntegrationTests.Metrics;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Tcp;

/// <summary>The <c>--max-tcp-connections</c> warning is rate-limited on the injected clock and carries the count.</summary>
public sealed class ConnectionLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OneWarningPerInterval_WithTheCountSinceTheLastOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { MaxTcpConnections = 1 }, time);
        await using var producer = await daemon.ConnectIdentifiedAsync();

        await RejectedAsync(daemon, 3);
        time.Advance(TimeSpan.FromSeconds(9));
        await RejectedAsync(daemon, 1);
        time.Advance(TimeSpan.FromSeconds(2));
        await RejectedAsync(daemon, 1);

        Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_rejected_total").Should().Be(5);
        daemon.Logs.Lines.Where(l => l.StartsWith("WARNING: TCP: connection limit", StringComparison.Ordinal))
            .Select(l => l[l.LastIndexOf('(')..])
            .Should().Equal("(1 rejected since the last warning)", "(4 rejected since the last warning)");
        (await producer.CommandAsync("PING\n")).Should().Be("OK");
    }

    private static async Task RejectedAsync(TestDaemon daemon, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await s.ConnectAsync(daemon.TcpEndPoint);
                var n = await s.ReceiveAsync(new byte[1].AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
                n.Should().Be(0);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // reset: what we expect
            }
        }
    }
}
