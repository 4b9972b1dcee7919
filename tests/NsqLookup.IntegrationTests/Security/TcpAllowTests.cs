using System.Net;
using System.Net.Sockets;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.IntegrationTests.Metrics;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Security;

/// <summary><c>--tcp-allow</c>: a peer outside the list is closed at accept, before it can IDENTIFY or REGISTER.</summary>
public sealed class TcpAllowTests(ITestOutputHelper output)
{
    private const string RegisterBody =
        """{"broadcast_address":"attacker.example","hostname":"x","tcp_port":4150,"http_port":4151,"version":"1.3.0"}""";

    [Fact]
    public async Task APeerOutsideTheList_IsClosedBeforeItCanRegisterAndTheRefusalIsLoggedAndCounted()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { TcpAllow = ["127.0.0.1/32"] });

        byte[] attack = [.. TestClient.Magic, .. TestClient.Identify(RegisterBody), .. "REGISTER orders\n"u8.ToArray()];
        var answer = await SourceBound.ExchangeAsync(SourceBound.Other, daemon.TcpEndPoint, attack);

        answer.Should().BeEmpty("nothing is answered to a refused peer");
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("""{"topics":[]}""");
        daemon.App.Registry.Counts().Producers.Should().Be(0);
        await Eventually.TrueAsync(() => Task.FromResult(
            daemon.Logs.Lines.Any(l => l.StartsWith("WARNING: TCP: refused client(127.0.0.2:", StringComparison.Ordinal)
                && l.EndsWith(") - not in --tcp-allow", StringComparison.Ordinal))));
        var scrape = Scrape.Parse(await daemon.Http.GetStringAsync("/metrics"));
        scrape.Value("nsqlookupd_tcp_connections_refused_total", ("reason", "allowlist")).Should().Be(1);
        scrape.Value("nsqlookupd_tcp_connections_total").Should().Be(0, "a refused socket is never counted as accepted (the counter starts at 0)");
    }

    [Fact]
    public async Task Refusals_AreLoggedAtMostOnceASecondAndAllCounted()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { TcpAllow = ["127.0.0.1/32"] }, clock);
        static bool IsRefusal(string line) => line.Contains("refused client(127.0.0.2:", StringComparison.Ordinal);

        for (var i = 0; i < 3; i++)
        {
            await SourceBound.ExchangeAsync(SourceBound.Other, daemon.TcpEndPoint, TestClient.Magic);
        }

        await Eventually.TrueAsync(async () => Scrape.Parse(await daemon.Http.GetStringAsync("/metrics"))
            .Value("nsqlookupd_tcp_connections_refused_total", ("reason", "allowlist")) == 3);
        daemon.Logs.Lines.Count(IsRefusal).Should().Be(1);

        clock.Advance(TimeSpan.FromSeconds(1));
        await SourceBound.ExchangeAsync(SourceBound.Other, daemon.TcpEndPoint, TestClient.Magic);
        await Eventually.TrueAsync(() => Task.FromResult(daemon.Logs.Lines.Count(IsRefusal) == 2));
    }

    [Fact]
    public async Task APeerInsideTheList_RegistersAsBefore()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { TcpAllow = ["10.0.0.0/8,127.0.0.1/32"] });
        await using var client = await daemon.ConnectIdentifiedAsync();
        (await client.CommandAsync("REGISTER orders\n")).Should().Be("OK");
        (await daemon.Http.GetStringAsync("/topics")).Should().Be("""{"topics":["orders"]}""");
        daemon.Logs.Lines.Should().NotContain(l => l.Contains("refused client", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIpv6Peer_IsRefusedByAnIpv4ListAndAllowedByItsOwnEntry()
    {
        await using (var daemon = await TestDaemon.StartAsync(output, o => o with { TcpAddress = "[::1]:0", TcpAllow = ["127.0.0.1/32"] }))
        {
            var endPoint = new IPEndPoint(IPAddress.IPv6Loopback, daemon.App.TcpEndPoint.Port);
            (await SourceBound.ExchangeAsync(IPAddress.IPv6Loopback, endPoint, TestClient.Magic)).Should().BeEmpty();
            await Eventually.TrueAsync(() => Task.FromResult(daemon.Logs.Lines.Any(l => l.Contains("refused client([::1]:", StringComparison.Ordinal))));
        }

        await using (var daemon = await TestDaemon.StartAsync(output, o => o with { TcpAddress = "[::1]:0", TcpAllow = ["127.0.0.1/32", "::1/128"] }))
        {
            var endPoint = new IPEndPoint(IPAddress.IPv6Loopback, daemon.App.TcpEndPoint.Port);
            await using var client = await TestClient.ConnectAsync(endPoint);
            await client.SendAsync(TestClient.Magic);
            await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
            (await client.ReadFrameAsync()).Should().StartWith("{");
        }
    }

    [Fact]
    public async Task WithoutTheFlagEverySource_IsServed()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        using var socket = await SourceBound.ConnectAsync(SourceBound.Other, daemon.TcpEndPoint);
        await socket.SendAsync(TestClient.Magic, SocketFlags.None);
        await socket.SendAsync("PING\n"u8.ToArray(), SocketFlags.None);
        var buffer = new byte[6];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            n.Should().BePositive();
            read += n;
        }

        buffer[4..].Should().Equal("OK"u8.ToArray());
    }
}
