using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.IntegrationTests.Metrics;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Tcp;

[CollectionDefinition(nameof(FloodTests), DisableParallelization = true)]
public sealed class FloodCollection;

/// <summary>
/// Hostile networks (docs/protocol.md, "Deliberate differences" items 1–3), against the real daemon on 127.0.0.1:
/// floods of idle, oversized, endless and slow connections, each bounded in count and time, while a real producer
/// registers and <c>/lookup</c> keeps answering. Run alone (no parallel tests) so that the timings mean something.
/// </summary>
[Collection(nameof(FloodTests))]
public sealed class FloodTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Responsive = TimeSpan.FromSeconds(1); // nsqd's read deadline (nsqd/lookup_peer.go)

    [Fact]
    public async Task ThousandsOfIdleConnectionsWithoutMagic_DoNotBlockProducersOrHttp()
    {
        // Each idle connection costs two descriptors here (client and server side live in this process).
        var wanted = 5000;
        var affordable = (int)Math.Min(wanted, (ProcessResources.DescriptorLimit() - ProcessResources.OpenDescriptors() - 512) / 2);
        output.WriteLine($"descriptor limit {ProcessResources.DescriptorLimit()}, idle connections {affordable} of {wanted}");
        affordable.Should().BeGreaterThan(500, "the descriptor limit is too low for a meaningful flood");

        await using var daemon = await TestDaemon.StartAsync(null, o => o with { HandshakeTimeout = TimeSpan.FromMinutes(1) });
        var idle = await OpenAsync(daemon.TcpEndPoint, affordable);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_open") == affordable), TimeSpan.FromSeconds(20));

            await using var producer = await daemon.ConnectIdentifiedAsync();
            (await producer.CommandAsync("REGISTER flood\n")).Should().Be("OK");
            await LookupStaysFastAsync(daemon, "flood", producer.LocalAddress);
            Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_open").Should().Be(affordable + 1, "no idle connection was dropped (the handshake timeout is 1m here)");
        }
        finally
        {
            CloseAll(idle);
        }

        await Eventually.TrueAsync(() => Task.FromResult(Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_open") == 0), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task IdentifyWithSize0x7FFFFFFF_IsRefusedAtOnceAndAllocatesNothing()
    {
        await using var daemon = await TestDaemon.StartAsync(null);
        await using var producer = await daemon.ConnectIdentifiedAsync();
        (await producer.CommandAsync("REGISTER safe\n")).Should().Be("OK");
        var before = ProcessResources.SettledHeap();

        var clients = await OpenAsync(daemon.TcpEndPoint, 500);
        try
        {
            byte[] hostile = [.. TestClient.Magic, .. "IDENTIFY\n"u8, 0x7F, 0xFF, 0xFF, 0xFF, .. "{\"broad"u8];
            await Task.WhenAll(clients.Select(async s =>
            {
                await s.SendAsync(hostile, SocketFlags.None);
                var answer = await ReadUntilClosedAsync(s, trickle: true);
                Encoding.ASCII.GetString(answer.AsSpan(Math.Min(4, answer.Length))).Should().Be("E_BAD_BODY IDENTIFY body too big 2147483647 > 65536");
            })).WaitAsync(TimeSpan.FromSeconds(20));
            var growth = ProcessResources.SettledHeap() - before;
            output.WriteLine($"heap growth after 500 x IDENTIFY 0x7FFFFFFF: {ProcessResources.Mib(growth)}");
            growth.Should().BeLessThan(16L * 1024 * 1024, "nothing is allocated for an announced 2 GiB body");
        }
        finally
        {
            CloseAll(clients);
        }

        (await producer.CommandAsync("PING\n")).Should().Be("OK");
        await LookupStaysFastAsync(daemon, "safe", producer.LocalAddress);
    }

    [Fact]
    public async Task IdentifyBodiesAtTheCapTrickledHoldBoundedMemory()
    {
        await using var daemon = await TestDaemon.StartAsync(null);
        await using var producer = await daemon.ConnectIdentifiedAsync();
        (await producer.CommandAsync("REGISTER safe\n")).Should().Be("OK");
        var before = ProcessResources.SettledHeap();

        // 500 connections announce a 64 KiB body (the cap) and send it 1 KiB at a time, never finishing it.
        var clients = await OpenAsync(daemon.TcpEndPoint, 500);
        try
        {
            await Task.WhenAll(clients.Select(s => s.SendAsync((byte[])[.. TestClient.Magic, .. "IDENTIFY\n"u8, 0, 1, 0, 0], SocketFlags.None)));
            var kib = new byte[1024];
            for (var round = 0; round < 20; round++)
            {
                await Task.WhenAll(clients.Select(s => s.SendAsync(kib, SocketFlags.None)));
                await Task.Delay(50); // the pacing is the load: bodies arrive slowly, a kibibyte at a time
            }

            await Eventually.TrueAsync(() => Task.FromResult(Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_open") == 501));
            var growth = ProcessResources.SettledHeap() - before;
            output.WriteLine($"heap growth with 500 half-sent 64 KiB IDENTIFY bodies (20 KiB each sent): {ProcessResources.Mib(growth)}");

            // Bound: each connection holds what it sent plus pipe and socket overhead, never the announced 64 KiB up front.
            growth.Should().BeLessThan(500L * 64 * 1024, "no connection holds the announced cap before the bytes arrive");
            (await producer.CommandAsync("PING\n")).Should().Be("OK");
            await LookupStaysFastAsync(daemon, "safe", producer.LocalAddress);
        }
        finally
        {
            CloseAll(clients);
        }
    }

    [Fact]
    public async Task MegabyteLinesWithoutNewline_AreCutOffAtTheLineCap()
    {
        await using var daemon = await TestDaemon.StartAsync(null);
        await using var producer = await daemon.ConnectIdentifiedAsync();
        (await producer.CommandAsync("REGISTER safe\n")).Should().Be("OK");
        var before = ProcessResources.SettledHeap();

        var clients = await OpenAsync(daemon.TcpEndPoint, 50);
        var line = Enumerable.Repeat((byte)'A', 1024 * 1024).ToArray();
        var answered = 0;
        try
        {
            await Task.WhenAll(clients.Select(async s =>
            {
                await s.SendAsync(TestClient.Magic, SocketFlags.None);
                _ = SendIgnoringResetAsync(s, line);
                var answer = await ReadUntilClosedAsync(s, trickle: false);
                if (answer.Length > 0)
                {
                    Encoding.ASCII.GetString(answer.AsSpan(4)).Should().Be("E_INVALID command line too long");
                    Interlocked.Increment(ref answered);
                }
            })).WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            CloseAll(clients);
        }

        var growth = ProcessResources.SettledHeap() - before;
        output.WriteLine($"{answered} of 50 saw the error frame before the reset; heap growth {ProcessResources.Mib(growth)}");
        answered.Should().BeGreaterThan(0);
        growth.Should().BeLessThan(16L * 1024 * 1024);
        (await producer.CommandAsync("PING\n")).Should().Be("OK");
        await LookupStaysFastAsync(daemon, "safe", producer.LocalAddress);
    }

    [Fact]
    public async Task SlowClientsWritingAByteEvery100ms_CompleteAndBlockNobody()
    {
        await using var daemon = await TestDaemon.StartAsync(null);
        const string body = """{"broadcast_address":"s","tcp_port":1,"http_port":1,"version":"1"}""";
        var slow = await OpenAsync(daemon.TcpEndPoint, 100);
        try
        {
            var sessions = slow.Select((s, i) => TrickleSessionAsync(s, [.. TestClient.Magic, .. TestClient.Identify(body), .. Encoding.ASCII.GetBytes($"REGISTER slow{i}\n")])).ToArray();

            // While they trickle, a normal producer gets every answer well within nsqd's 1 s deadline.
            await using var producer = await daemon.ConnectIdentifiedAsync();
            (await producer.CommandAsync("REGISTER fast\n")).Should().Be("OK");
            while (!sessions.All(t => t.IsCompleted))
            {
                var sw = Stopwatch.StartNew();
                (await producer.CommandAsync("PING\n")).Should().Be("OK");
                sw.Elapsed.Should().BeLessThan(Responsive);
                await LookupStaysFastAsync(daemon, "fast", producer.LocalAddress, rounds: 1);
                await Task.Delay(200); // a probe's pace while the trickling sessions run; the loop ends on their completion
            }

            await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(25));
            for (var i = 0; i < slow.Count; i += 10)
            {
                (await daemon.Http.GetStringAsync($"/lookup?topic=slow{i}")).Should().Contain(GoAddress.Format(slow[i].LocalEndPoint));
            }
        }
        finally
        {
            CloseAll(slow);
        }
    }

    [Fact]
    public async Task ConnectionsOverTheLimit_AreResetPromptlyCountedAndWarnedOnce()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { MaxTcpConnections = 20 });
        var producers = new List<TestClient>();
        for (var i = 0; i < 5; i++)
        {
            var p = await daemon.ConnectIdentifiedAsync();
            (await p.CommandAsync($"REGISTER limited{i}\n")).Should().Be("OK");
            producers.Add(p);
        }

        var idle = await OpenAsync(daemon.TcpEndPoint, 15);
        await Eventually.TrueAsync(() => Task.FromResult(Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_open") == 20));

        var extra = Enumerable.Range(0, 30).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        try
        {
            // The reset may even beat the connect's completion: that counts as closed too.
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(extra.Select(async s =>
            {
                try
                {
                    await s.ConnectAsync(daemon.TcpEndPoint);
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
                {
                    return;
                }

                await ReadUntilClosedAsync(s, trickle: false);
            })).WaitAsync(TimeSpan.FromSeconds(5));
            output.WriteLine($"30 connections over the limit closed within {sw.ElapsedMilliseconds} ms");
            sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
            Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_rejected_total").Should().Be(30);
            daemon.Logs.Lines.Count(l => l.StartsWith("WARNING: TCP: connection limit 20 reached", StringComparison.Ordinal))
                .Should().Be(1, "the warning is rate-limited");

            foreach (var (p, i) in producers.Select((p, i) => (p, i)))
            {
                (await p.CommandAsync("PING\n")).Should().Be("OK");
                await LookupStaysFastAsync(daemon, $"limited{i}", p.LocalAddress, rounds: 1);
            }

            // A slot freed is a slot usable.
            await producers[0].DisposeAsync();
            await Eventually.TrueAsync(() => Task.FromResult(Scrape.Of(daemon).Value("nsqlookupd_tcp_connections_open") == 19));
            await using var late = await daemon.ConnectIdentifiedAsync();
            (await late.CommandAsync("PING\n")).Should().Be("OK");
        }
        finally
        {
            CloseAll(idle);
            CloseAll(extra);
            foreach (var p in producers.Skip(1))
            {
                await p.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TheHandshakeTimeout_ClosesASilentSocketButNeverAnIdentifiedOne()
    {
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { HandshakeTimeout = TimeSpan.FromMilliseconds(500) });
        await using var identified = await daemon.ConnectIdentifiedAsync();
        await using var silent = await daemon.ConnectAsync();
        var sw = Stopwatch.StartNew();
        (await silent.ReadToEndAsync()).Should().BeEmpty();
        output.WriteLine($"silent socket closed after {sw.ElapsedMilliseconds} ms");
        sw.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(400)).And.BeLessThan(TimeSpan.FromSeconds(3));
        daemon.Logs.Lines.Should().Contain(l => l.StartsWith("ERROR: failed to read protocol version - read tcp ", StringComparison.Ordinal)
            && l.EndsWith(": i/o timeout", StringComparison.Ordinal));

        // Three handshake timeouts of silence later, the identified connection is still served.
        (await identified.StaysSilentAsync(TimeSpan.FromMilliseconds(1500))).Should().BeTrue();
        (await identified.CommandAsync("PING\n")).Should().Be("OK");
    }

    private static async Task LookupStaysFastAsync(TestDaemon daemon, string topic, string producer, int rounds = 10)
    {
        for (var i = 0; i < rounds; i++)
        {
            var sw = Stopwatch.StartNew();
            var body = await daemon.Http.GetStringAsync($"/lookup?topic={topic}");
            sw.Elapsed.Should().BeLessThan(Responsive);
            body.Should().Contain(producer);
        }
    }

    /// <summary>Opens <paramref name="count"/> raw connections, 200 at a time (the listen backlog is 512).</summary>
    private static async Task<List<Socket>> OpenAsync(IPEndPoint endPoint, int count)
    {
        var sockets = new List<Socket>(count);
        try
        {
            while (sockets.Count < count)
            {
                var batch = Enumerable.Range(0, Math.Min(200, count - sockets.Count)).Select(async _ =>
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await s.ConnectAsync(endPoint).WaitAsync(TestDaemon.Timeout);
                    return s;
                });
                sockets.AddRange(await Task.WhenAll(batch));
            }
        }
        catch
        {
            CloseAll(sockets);
            throw;
        }

        return sockets;
    }

    /// <summary>Everything received until the server closes (FIN or RST); with <paramref name="trickle"/>, keeps
    /// sending a byte every 100 ms meanwhile, as a hostile client would.</summary>
    private static async Task<byte[]> ReadUntilClosedAsync(Socket socket, bool trickle)
    {
        var all = new List<byte>();
        var buffer = new byte[256];
        using var stop = new CancellationTokenSource();
        var trickler = trickle ? TrickleAsync(socket, stop.Token) : Task.CompletedTask;
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
                if (n == 0)
                {
                    return [.. all];
                }

                all.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return [.. all];
        }
        finally
        {
            await stop.CancelAsync();
            await trickler;
        }
    }

    private static async Task TrickleAsync(Socket socket, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await socket.SendAsync("x"u8.ToArray(), SocketFlags.None, stop);
                await Task.Delay(100, stop);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the server closed, or we stopped
        }
    }

    private static async Task TrickleSessionAsync(Socket socket, byte[] session)
    {
        foreach (var b in session)
        {
            await socket.SendAsync(new[] { b }, SocketFlags.None);
            await Task.Delay(100);
        }

        // IDENTIFY's answer, then REGISTER's OK.
        var frames = 0;
        var buffer = new byte[512];
        var received = new List<byte>();
        while (frames < 2)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            n.Should().BeGreaterThan(0);
            received.AddRange(buffer.AsSpan(0, n));
            frames = CountFrames(received);
        }

        Encoding.ASCII.GetString([.. received]).Should().EndWith("OK");
    }

    private static int CountFrames(List<byte> bytes)
    {
        var count = 0;
        var at = 0;
        while (at + 4 <= bytes.Count)
        {
            var size = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            if (at + 4 + size > bytes.Count)
            {
                break;
            }

            at += 4 + size;
            count++;
        }

        return count;
    }

    private static async Task SendIgnoringResetAsync(Socket socket, byte[] data)
    {
        try
        {
            for (var at = 0; at < data.Length; at += 64 * 1024)
            {
                await socket.SendAsync(data.AsMemory(at, Math.Min(64 * 1024, data.Length - at)), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // the server cut us off at the line cap, as it should
        }
    }

    private static void CloseAll(IEnumerable<Socket> sockets)
    {
        foreach (var s in sockets)
        {
            s.Dispose();
        }
    }
}
