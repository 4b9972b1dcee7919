using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NsqLookup.LoadTool;

/// <summary>
/// One nsqd creating topics at runtime during the mixed scenario: <c>REGISTER t</c> then <c>REGISTER t c0</c>,
/// paced. Like nsqd, a missed 1 s deadline or an error drops the connection and the next command reconnects and
/// re-IDENTIFYs. A REGISTER that missed the deadline is recorded as 1 s, a lower bound of its real round trip, so
/// it weighs in the percentiles instead of vanishing.
/// </summary>
internal sealed class FreshProducer(EndPoint lookupd, bool coalesce, TimeSpan deadline, int index, TextWriter log)
{
    private static readonly byte[] Channel = "c0"u8.ToArray();

    public Latencies Registers { get; } = new();

    /// <summary>REGISTERs that missed nsqd's 1 s deadline.</summary>
    public long RegisterTimeouts { get; private set; }

    /// <summary>Connects or IDENTIFYs that failed or missed the deadline.</summary>
    public long IdentifyFailures { get; private set; }

    /// <summary>Other REGISTER failures (errors, closed connections).</summary>
    public long Errors { get; private set; }

    public async Task RunAsync(long start, TimeSpan until, TimeSpan interval, CancellationToken ct)
    {
        NsqdPeer? peer = null;
        try
        {
            // At least one REGISTER pair, even when a loaded machine makes connecting outlast the window.
            for (var j = 0; j == 0 || Stopwatch.GetElapsedTime(start) < until; j++)
            {
                peer ??= await ConnectAsync(ct);
                if (peer is null)
                {
                    await Task.Delay(interval, ct);
                    continue;
                }

                var topic = Encoding.ASCII.GetBytes($"bench-fresh{index:D3}-t{j:D5}");
                try
                {
                    Registers.Add(await peer.RegisterAsync(topic, null));
                    Registers.Add(await peer.RegisterAsync(topic, Channel));
                }
                catch (Exception ex) when (ex is TimeoutException or IOException or InvalidDataException)
                {
                    if (ex is TimeoutException)
                    {
                        RegisterTimeouts++;
                        Registers.Add((long)(deadline.TotalSeconds * Stopwatch.Frequency));
                    }
                    else
                    {
                        Errors++;
                    }

                    log.WriteLine($"fresh producer {index}: {ex.Message}");
                    await peer.DisposeAsync();
                    peer = null;
                }

                await Task.Delay(interval, ct);
            }
        }
        finally
        {
            if (peer is not null)
            {
                await peer.DisposeAsync();
            }
        }
    }

    private async Task<NsqdPeer?> ConnectAsync(CancellationToken ct)
    {
        NsqdPeer? peer = null;
        try
        {
            peer = await NsqdPeer.ConnectAsync(lookupd, coalesce, ct, deadline);
            await peer.IdentifyAsync(NsqdPeer.IdentifyBody(Topology.BroadcastAddress("fresh", index), 4150, 4151));
            return peer;
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidDataException or SocketException or
                                       OperationCanceledException && !ct.IsCancellationRequested)
        {
            IdentifyFailures++;
            log.WriteLine($"fresh producer {index}: connect/IDENTIFY: {ex.Message}");
            if (peer is not null)
            {
                await peer.DisposeAsync();
            }

            return null;
        }
    }
}
