using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NsqLookup.Http;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.IntegrationTests.Metrics;
using NsqLookup.IntegrationTests.Security;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Http;

/// <summary><c>--http-max-connections</c>: one budget for HTTP and HTTPS; beyond it new connections are reset and
/// counted, while nsqd keeps registering over TCP.</summary>
public sealed class HttpConnectionLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SaturatedHttp_RefusesNewConnectionsWhileNsqdStillRegistersOverTcp()
    {
        const int Max = 50;
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpMaxConnections = Max });
        var limit = daemon.App.Services.GetRequiredService<HttpConnectionLimit>();
        var held = new List<Socket>();
        try
        {
            // Max + 10 idle keep-alive connections: the first Max are held open, the other 10 are reset.
            for (var i = 0; i < Max + 10; i++)
            {
                held.Add(await ConnectAsync(daemon.HttpPort));
            }

            await Eventually.TrueAsync(() => Task.FromResult(limit.OpenConnections == Max && Scrape.Of(daemon).Value("nsqlookupd_http_connections_rejected_total") == 10));

            // /ping on a new connection is refused: closed without an answer.
            (await PingAsync(daemon.HttpPort)).Should().BeNull();
            Scrape.Of(daemon).Value("nsqlookupd_http_connections_rejected_total").Should().Be(11);
            daemon.Logs.Lines.Should().Contain(l => l.StartsWith($"WARNING: HTTP: connection limit {Max} reached - closing new client(127.0.0.1:", StringComparison.Ordinal));

            // Whatever the HTTP side suffers, an nsqd registers over TCP.
            await using var nsqd = await daemon.ConnectIdentifiedAsync();
            (await nsqd.CommandAsync("REGISTER orders\n")).Should().Be("OK");

            foreach (var socket in held)
            {
                socket.Dispose();
            }

            held.Clear();
            await Eventually.TrueAsync(() => Task.FromResult(limit.OpenConnections == 0));

            (await PingAsync(daemon.HttpPort)).Should().Be("OK");
            (await HttpKit.LookupProducersAsync(daemon, "orders")).Should().ContainSingle();
            var scrape = Scrape.Parse(await daemon.Http.GetStringAsync("/metrics"));
            scrape.Value("nsqlookupd_http_connections_rejected_total").Should().Be(11);
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task HttpAndHttps_ShareOneBudget()
    {
        using var pki = new TestPki();
        await using var daemon = await TestDaemon.StartAsync(
            output, o => o with { HttpMaxConnections = 4, HttpsAddress = "127.0.0.1:0", TlsCert = pki.CertPath, TlsKey = pki.KeyPath });
        var limit = daemon.App.Services.GetRequiredService<HttpConnectionLimit>();
        var httpsPort = daemon.App.HttpsEndPoint!.Port;
        using var http1 = await ConnectAsync(daemon.HttpPort);
        using var http2 = await ConnectAsync(daemon.HttpPort);
        using var https1 = await ConnectAsync(httpsPort);
        using var https2 = await ConnectAsync(httpsPort);
        await Eventually.TrueAsync(() => Task.FromResult(limit.OpenConnections == 4));

        // Counted before TLS: a handshake never starts on a connection over the budget, on either port.
        using (var tls = TlsProbe.Client(pki.Ca, httpsPort))
        {
            var refused = async () => await tls.GetStringAsync("/ping");
            await refused.Should().ThrowAsync<Exception>(); // HttpRequestException, or the reset itself
        }

        (await PingAsync(daemon.HttpPort)).Should().BeNull();
        Scrape.Of(daemon).Value("nsqlookupd_http_connections_rejected_total").Should().Be(2);

        http1.Dispose();
        await Eventually.TrueAsync(() => Task.FromResult(limit.OpenConnections == 3));
        using (var tls = TlsProbe.Client(pki.Ca, httpsPort))
        {
            (await tls.GetStringAsync("/ping")).Should().Be("OK");
        }
    }

    [Fact]
    public async Task Zero_MeansNoLimit()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpMaxConnections = 0 });
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                held.Add(await ConnectAsync(daemon.HttpPort));
            }

            (await PingAsync(daemon.HttpPort)).Should().Be("OK");
            (Scrape.Of(daemon).Value("nsqlookupd_http_connections_rejected_total") ?? 0).Should().Be(0, "no connection was refused (the series appears with the first)");
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>A connection, or what is left of it when the server reset it already (a refused one can be reset
    /// before the connect completes on our side).</summary>
    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TestDaemon.Timeout);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is not SocketError.ConnectionRefused)
        {
            // reset at once: refused by the limit
        }

        return socket;
    }

    /// <summary><c>GET /ping</c> on a new connection: the body, or null when the server closed without an answer.</summary>
    private static async Task<string?> PingAsync(int port)
    {
        using var socket = await ConnectAsync(port);
        var answer = new List<byte>();
        try
        {
            await socket.SendAsync("GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None).WaitAsync(TestDaemon.Timeout);
            var buffer = new byte[4096];
            int n;
            while ((n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout)) > 0)
            {
                answer.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (SocketException)
        {
            // reset: refused
        }

        if (answer.Count == 0)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString([.. answer]);
        return text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
    }
}
