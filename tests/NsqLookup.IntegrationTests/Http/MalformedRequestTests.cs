using System.Net.Sockets;
using System.Text;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>
/// Requests that never reach a handler: Go's net/http answers them itself, with a plain-text body that repeats the
/// status line and no Date or Content-Length (docs/protocol.md, "Malformed requests"). Compared byte for byte.
/// </summary>
public sealed class MalformedRequestTests(ITestOutputHelper output)
{
    private const string GoErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task NoHostHeader_OnHttp11_GetsGosMissingHostAnswer()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var answer = await ExchangeAsync(daemon, "GET /ping HTTP/1.1\r\n\r\n");

        answer.Should().Be("HTTP/1.1 400 Bad Request: missing required Host header" + GoErrorHeaders
            + "400 Bad Request: missing required Host header");
    }

    [Fact]
    public async Task UnparsableRequestLine_GetsGosPlainBadRequest()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var answer = await ExchangeAsync(daemon, "GARBAGE\r\n\r\n");

        answer.Should().Be("HTTP/1.1 400 Bad Request" + GoErrorHeaders + "400 Bad Request");
    }

    [Fact]
    public async Task HeaderBlockOverTheLimit_GetsGos431Answer()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HttpMaxHeaderSize = 4096 });

        var answer = await ExchangeAsync(daemon, "GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 100 * 1024) + "\r\n\r\n");

        answer.Should().Be("HTTP/1.1 431 Request Header Fields Too Large" + GoErrorHeaders + "431 Request Header Fields Too Large");
    }

    [Fact]
    public async Task BadRequest_AfterAServedRequestOnTheSameConnection_FollowsThatAnswer()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var answer = await ExchangeAsync(daemon, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n");

        answer.Should().StartWith("HTTP/1.1 200 OK\r\n");
        answer.Should().EndWith("\r\n\r\nOKHTTP/1.1 400 Bad Request" + GoErrorHeaders + "400 Bad Request");
    }

    [Fact]
    public async Task NoHostHeader_OnHttp10_IsServed()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var answer = await ExchangeAsync(daemon, "GET /ping HTTP/1.0\r\n\r\n");

        answer.Should().StartWith("HTTP/1.1 200 OK\r\n");
        answer.Should().EndWith("\r\n\r\nOK");
    }

    [Fact]
    public async Task AfterBadRequests_TheDaemonKeepsServing()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        for (var i = 0; i < 3; i++)
        {
            await ExchangeAsync(daemon, "GARBAGE\r\n\r\n");
            await ExchangeAsync(daemon, "GET / HTTP/1.1\r\n\r\n");
        }

        (await daemon.Http.GetStringAsync("/ping")).Should().Be("OK");
    }

    [Theory]
    [InlineData("80000000")]
    [InlineData("ffffffff")]
    [InlineData("10000000000000000")]
    public async Task ChunkSizeThatDoesNotFit_OnAnAdminRoute_Gets400AndChangesNothing(string chunkSize)
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var answer = await ExchangeAsync(
            daemon, "POST /topic/create?topic=x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkSize + "\r\n");

        answer.Should().StartWith("HTTP/1.1 400 Bad Request\r\n");
        answer.Should().Contain("\r\nConnection: close\r\n");
        (await HttpKit.TopicsAsync(daemon)).Should().BeEmpty();
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith("INFO: 400 POST /topic/create?topic=x (127.0.0.1:", StringComparison.Ordinal));
        var scrape = Metrics.Scrape.Parse(await daemon.Http.GetStringAsync("/metrics"));
        scrape.Value("nsqlookupd_http_requests_total", ("route", "other"), ("status", "400")).Should().Be(1);
    }

    [Fact]
    public async Task ChunkSizeThatDoesNotFit_OnPing_Gets400_LikeAMalformedOne()
    {
        await using var daemon = await TestDaemon.StartAsync(output);

        var overflow = await ExchangeAsync(daemon, "GET /ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n80000000\r\n");
        var malformed = await ExchangeAsync(daemon, "GET /ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");

        overflow.Should().StartWith("HTTP/1.1 400 Bad Request\r\n");
        WithoutDate(overflow).Should().Be(WithoutDate(malformed));
        daemon.Logs.Lines.Count(l => l.StartsWith("INFO: 400 GET /ping (", StringComparison.Ordinal)).Should().Be(2);
        (await daemon.Http.GetStringAsync("/ping")).Should().Be("OK");
    }

    private static string WithoutDate(string answer) =>
        string.Join("\r\n", answer.Split("\r\n").Where(l => !l.StartsWith("Date: ", StringComparison.Ordinal)));

    /// <summary>Sends the bytes as they are and reads until the server closes.</summary>
    private static async Task<string> ExchangeAsync(TestDaemon daemon, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, daemon.HttpPort).WaitAsync(TestDaemon.Timeout);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None).WaitAsync(TestDaemon.Timeout);
        var all = new List<byte>();
        var buffer = new byte[8192];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                break; // the server closed with request bytes still unread: what was received is the answer
            }

            if (n == 0)
            {
                break;
            }

            all.AddRange(buffer.AsSpan(0, n));
        }

        return Encoding.ASCII.GetString([.. all]);
    }
}
