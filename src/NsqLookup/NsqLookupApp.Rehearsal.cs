using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NsqLookup.Logging;

namespace NsqLookup;

/// <summary>
/// The JIT build's stop path, rehearsed. At SIGTERM the JIT build used to compile about 150 methods, fully optimized,
/// before it could exit: the hosting stack's and Kestrel's stop and unbind code, which the framework's ReadyToRun
/// images do not carry because it is generic over their own async state machines. That was about 35 of an idle
/// exit's 46 ms (bench/FOOTPRINT.md). So shortly after the start, the daemon's JIT process runs a throwaway instance
/// of itself on loopback ephemeral ports: it starts it, connects a producer that registers and leaves, one that
/// registers and stays, and a keep-alive HTTP client, and stops it, which compiles that code once, while nothing
/// waits on it. The throwaway instance has its own registry, metrics and host; it logs in the daemon's format to
/// nowhere, has no signal handlers and never talks to systemd. It lives about 0.3 s, most of it compiling some 550
/// methods. The native binary is compiled ahead of time and never rehearses.
/// </summary>
public sealed partial class NsqLookupApp
{
    private static readonly TimeSpan RehearsalTimeout = TimeSpan.FromSeconds(5);

    /// <summary>After <paramref name="delay"/>, unless the daemon is stopping by then, rehearses the stop path on a
    /// throwaway instance and logs the outcome at debug level. Never throws.</summary>
    internal async Task RehearseStopPathAsync(TimeSpan delay)
    {
        var logger = _app.Services.GetRequiredService<ILogger<NsqLookupApp>>();
        var stopping = _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await Task.Delay(delay, stopping).ConfigureAwait(false);
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            var started = Stopwatch.GetTimestamp();
            await RunRehearsalAsync(_options, stopping).ConfigureAwait(false);
            Log.StopPathRehearsed(
                logger,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The daemon began to stop first: its own stop path runs as it would have without a rehearsal.
        }
#pragma warning disable CA1031 // an optimisation: whatever goes wrong (no IPv4 loopback, say) is logged, never fatal
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.StopPathNotRehearsed(logger, ex.Message);
        }
    }

    private static async Task RunRehearsalAsync(NsqLookupOptions daemon, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(RehearsalTimeout);
        var token = timeout.Token;

        var options = new NsqLookupOptions
        {
            TcpAddress = "127.0.0.1:0",
            HttpAddress = "127.0.0.1:0",
            BroadcastAddress = "127.0.0.1",
            ShutdownTimeout = TimeSpan.FromSeconds(1),

            // The daemon's own log format and level, written nowhere: the lines its exit prints (a held connection's
            // ERROR line even at --log-level=warn) are formatted through code compiled here, not at the signal.
            LogLevel = daemon.LogLevel,
            LogFormat = daemon.LogFormat,
            LogPrefix = daemon.LogPrefix,
        };
        var rehearsal = Create(
            options,
            logging => logging.AddGoLog(options, TextWriter.Null, TimeProvider.System),
            timeProvider: null,
            rehearsal: true);
        await using (rehearsal.ConfigureAwait(false))
        {
            await rehearsal.StartAsync(token).ConfigureAwait(false);

            // A producer that leaves before the stop: its entries go on the registry's release worker (the case of
            // bench/shutdown.sh's "after", where a benchmark's producers left a moment before the signal)...
            using (var departing = await ProducerAsync(rehearsal.TcpEndPoint, token).ConfigureAwait(false))
            {
                departing.Shutdown(SocketShutdown.Both);
            }

            while (rehearsal.Registry.Counts().TopicEntries > 0)
            {
                await Task.Delay(5, token).ConfigureAwait(false);
            }

            // ...one still connected when the stop comes ("held")...
            using var producer = await ProducerAsync(rehearsal.TcpEndPoint, token).ConfigureAwait(false);

            // ...and an HTTP client on a kept-alive connection, idle when the stop comes.
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(rehearsal.HttpEndPoint, token).ConfigureAwait(false);
            await client.SendAsync("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray(), token).ConfigureAwait(false);
            _ = await client.ReceiveAsync(new byte[512], token).ConfigureAwait(false);

            await rehearsal.StopAsync(token).ConfigureAwait(false);
        }
    }

    // Connects as nsqd does: the magic, IDENTIFY, then a topic and one of its channels.
    private static async Task<Socket> ProducerAsync(IPEndPoint endPoint, CancellationToken token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, token).ConfigureAwait(false);
            await socket.SendAsync("  V1"u8.ToArray(), token).ConfigureAwait(false);
            await ExchangeAsync(socket, IdentifyCommand(), token).ConfigureAwait(false);
            await ExchangeAsync(socket, "REGISTER rehearsal\n"u8.ToArray(), token).ConfigureAwait(false);
            await ExchangeAsync(socket, "REGISTER rehearsal rehearsal\n"u8.ToArray(), token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static byte[] IdentifyCommand()
    {
        var body = """{"broadcast_address":"127.0.0.1","hostname":"rehearsal","tcp_port":1,"http_port":2,"version":"1.3.0"}"""u8;
        var command = "IDENTIFY\n"u8;
        var bytes = new byte[command.Length + 4 + body.Length];
        command.CopyTo(bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(command.Length), body.Length);
        body.CopyTo(bytes.AsSpan(command.Length + 4));
        return bytes;
    }

    // Sends one command and reads its one framed answer (4-byte big-endian size, then the payload).
    private static async Task ExchangeAsync(Socket socket, byte[] command, CancellationToken token)
    {
        await socket.SendAsync(command, token).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var size = new byte[4];
        await stream.ReadExactlyAsync(size, token).ConfigureAwait(false);
        await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadInt32BigEndian(size)], token).ConfigureAwait(false);
    }

    private sealed class RehearsalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "JIT: stop path rehearsed on a throwaway loopback instance in {Milliseconds:F1} ms ({Methods} methods compiled)")]
        public static partial void StopPathRehearsed(ILogger logger, double milliseconds, long methods);

        [LoggerMessage(LogLevel.Debug, "JIT: stop path not rehearsed - {Reason}")]
        public static partial void StopPathNotRehearsed(ILogger logger, string reason);
    }
}
