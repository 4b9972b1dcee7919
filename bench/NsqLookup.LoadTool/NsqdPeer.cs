using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace NsqLookup.LoadTool;

/// <summary>
/// One simulated nsqd talking to one lookupd, like nsqd/lookup_peer.go (and docs/protocol.md, "A real session"): a 1 s
/// dial timeout and a 1 s deadline on every read and write (a miss closes the socket), <c>  V1</c> then IDENTIFY with
/// nsqd's sorted-key JSON body, one command in flight, responses read as a 4-byte size plus payload, PING on a ticker,
/// and on shutdown a plain close with no UNREGISTER. Like go-nsq's <c>Command.WriteTo</c> over an unbuffered no-delay
/// socket, every piece of a command is its own write (name, each space and parameter, LF, body size, body).
/// </summary>
internal sealed class NsqdPeer : IAsyncDisposable
{
    /// <summary>nsqd's deadline on every dial, read and write.</summary>
    public static readonly TimeSpan NsqdDeadline = TimeSpan.FromSeconds(1);

    private static readonly byte[] Magic = "  V1"u8.ToArray();
    private static readonly byte[] Space = " "u8.ToArray();
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private static readonly byte[] IdentifyName = "IDENTIFY"u8.ToArray();
    private static readonly byte[] RegisterName = "REGISTER"u8.ToArray();
    private static readonly byte[] PingName = "PING"u8.ToArray();

    private readonly Socket _socket;
    private readonly SemaphoreSlim _inFlight = new(1, 1);
    private readonly byte[] _header = new byte[4];
    private readonly CancellationTokenSource _stop = new();
    private byte[] _payload = new byte[512];
    private Task _pinger = Task.CompletedTask;

    /// <summary>Stopwatch timestamp at which the read or write in progress started; 0 when none is.</summary>
    private long _ioStarted;
    private volatile bool _timedOut;

    private readonly bool _coalesce;
    private readonly TimeSpan _timeout;

    private NsqdPeer(Socket socket, bool coalesce, TimeSpan timeout)
    {
        _socket = socket;
        _coalesce = coalesce;
        _timeout = timeout;
        Watchdog.Add(this);
    }

    /// <summary>Set once a read or write missed its deadline or failed; nsqd then drops the connection.</summary>
    public string? Failure { get; private set; }

    /// <param name="coalesce">Send each command in one write instead of nsqd's one write per piece (for comparison
    /// only: it is not what nsqd does).</param>
    /// <param name="deadline">Defaults to nsqd's 1 s; only tests on a loaded CI machine raise it.</param>
    public static async Task<NsqdPeer> ConnectAsync(EndPoint lookupd, bool coalesce, CancellationToken ct, TimeSpan? deadline = null)
    {
        var timeout = deadline ?? NsqdDeadline;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var dial = CancellationTokenSource.CreateLinkedTokenSource(ct);
        dial.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(lookupd, dial.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NsqdPeer(socket, coalesce, timeout);
    }

    /// <summary>The IDENTIFY body nsqd HEAD sends: keys sorted, topology keys present even when empty.</summary>
    public static byte[] IdentifyBody(string broadcastAddress, int tcpPort, int httpPort) => Encoding.UTF8.GetBytes(
        $$"""{"broadcast_address":"{{broadcastAddress}}","hostname":"{{broadcastAddress}}","http_port":{{httpPort}},"tcp_port":{{tcpPort}},"topology_region":"","topology_zone":"","version":"1.3.0"}""");

    /// <summary>Sends the magic and IDENTIFY; succeeds only when the answer decodes like nsqd decodes it.</summary>
    public async Task IdentifyAsync(byte[] body)
    {
        await _inFlight.WaitAsync();
        try
        {
            await WriteAsync(Magic);
            var size = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(size, body.Length);
            var payload = await RoundTripAsync([IdentifyName, NewLine, size, body]);
            using var json = JsonDocument.Parse(payload);
            if (json.RootElement.ValueKind != JsonValueKind.Object ||
                !json.RootElement.TryGetProperty("tcp_port", out var port) || port.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidDataException("IDENTIFY answer is not nsqd-decodable: " + Encoding.UTF8.GetString(payload.Span));
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <summary><c>REGISTER topic[ channel]</c>; returns the round trip in Stopwatch ticks (waiting for the
    /// connection's one command slot, e.g. behind a PING, is not counted).</summary>
    public async Task<long> RegisterAsync(byte[] topic, byte[]? channel)
    {
        await _inFlight.WaitAsync();
        try
        {
            var start = Stopwatch.GetTimestamp();
            var payload = channel is null
                ? await RoundTripAsync([RegisterName, Space, topic, NewLine])
                : await RoundTripAsync([RegisterName, Space, topic, Space, channel, NewLine]);
            var elapsed = Stopwatch.GetTimestamp() - start;
            ExpectOk(payload, "REGISTER");
            return elapsed;
        }
        finally
        {
            _inFlight.Release();
        }
    }

    public async Task PingAsync()
    {
        await _inFlight.WaitAsync();
        try
        {
            // nsqd ignores the PING answer's content; only a failed read drops the connection.
            await RoundTripAsync([PingName, NewLine]);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <summary>nsqd's 15 s heartbeat ticker (shorter on request), sharing the one-command-in-flight slot.</summary>
    public void StartPinging(TimeSpan interval)
    {
        _pinger = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token) && Failure is null)
                {
                    await PingAsync();
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or TimeoutException or InvalidDataException)
            {
                // nsqd closes the connection and reconnects at a later tick; Failure tells the scenarios.
                Failure ??= "PING: " + ex.Message;
            }
        });
    }

    /// <summary>What nsqd does on shutdown: close the socket, send nothing.</summary>
    public void Close()
    {
        _stop.Cancel();
        Watchdog.Remove(this);
        _socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await _pinger;
        _socket.Dispose();
        _stop.Dispose();
        _inFlight.Dispose();
    }

    private static void ExpectOk(ReadOnlyMemory<byte> payload, string command)
    {
        if (!payload.Span.SequenceEqual("OK"u8))
        {
            throw new InvalidDataException($"{command} answered {Encoding.UTF8.GetString(payload.Span)}");
        }
    }

    private async Task<ReadOnlyMemory<byte>> RoundTripAsync(byte[][] pieces)
    {
        if (_coalesce)
        {
            await WriteAsync(pieces.SelectMany(p => p).ToArray());
        }
        else
        {
            foreach (var piece in pieces)
            {
                await WriteAsync(piece);
            }
        }

        await ReadExactlyAsync(_header);
        var size = BinaryPrimitives.ReadInt32BigEndian(_header);
        if (size is < 0 or > 5 * 1024 * 1024)
        {
            throw new InvalidDataException($"bad frame size {size}");
        }

        if (size > _payload.Length)
        {
            _payload = new byte[size];
        }

        var payload = _payload.AsMemory(0, size);
        await ReadExactlyAsync(payload);
        return payload;
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await Guard(_socket.SendAsync(bytes, SocketFlags.None), "write");
            bytes = bytes[sent..];
        }
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = await Guard(_socket.ReceiveAsync(buffer, SocketFlags.None), "read");
            if (read == 0)
            {
                Failure ??= "read: EOF";
                throw new IOException("lookupd closed the connection");
            }

            buffer = buffer[read..];
        }
    }

    /// <summary>One read or write under nsqd's deadline (a fresh one per call, as nsqd sets one before each): the
    /// <see cref="Watchdog"/> closes the socket when the call is still pending after it. A timestamp per call instead
    /// of a cancellation token and timer per call keeps the tool's own cost per REGISTER low enough that its one
    /// core does not become the bottleneck first.</summary>
    private async Task<int> Guard(ValueTask<int> io, string what)
    {
        Volatile.Write(ref _ioStarted, Stopwatch.GetTimestamp());
        try
        {
            return await io;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            if (_timedOut)
            {
                Failure ??= what + ": i/o timeout";
                throw new TimeoutException($"{what} missed nsqd's 1 s deadline");
            }

            if (_stop.IsCancellationRequested)
            {
                throw new OperationCanceledException("the peer was closed", ex);
            }

            Failure ??= what + ": " + ex.Message;
            throw new IOException(ex.Message, ex);
        }
        finally
        {
            Volatile.Write(ref _ioStarted, 0);
        }
    }

    /// <summary>Enforces every live peer's deadline: every 50 ms, closes the socket of a peer whose read or write
    /// has been pending for longer than its deadline (so a deadline fires within 50 ms of nsqd's).</summary>
    private static class Watchdog
    {
        private static readonly HashSet<NsqdPeer> Peers = [];
        private static Timer? s_timer;

        public static void Add(NsqdPeer peer)
        {
            lock (Peers)
            {
                Peers.Add(peer);
                s_timer ??= new Timer(_ => Check(), null, 50, 50);
            }
        }

        public static void Remove(NsqdPeer peer)
        {
            lock (Peers)
            {
                Peers.Remove(peer);
            }
        }

        private static void Check()
        {
            NsqdPeer[] peers;
            lock (Peers)
            {
                peers = [.. Peers];
            }

            foreach (var peer in peers)
            {
                var started = Volatile.Read(ref peer._ioStarted);
                if (started != 0 && Stopwatch.GetElapsedTime(started) > peer._timeout && !peer._timedOut)
                {
                    peer._timedOut = true;
                    peer._socket.Close();
                }
            }
        }
    }
}
