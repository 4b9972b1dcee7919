#!/usr/bin/env bash
# The checks behind docs/cluster.md (cluster mode on etcd: designed, not yet built), against a real etcd on
# loopback and dotnet-etcd 10.0.0, in two throwaway console apps built in a temporary folder:
#  1. the bytes of the bucket encoding of docs/cluster.md ("Key layout") for one nsqd with 10,000 topics x 5
#     channels, with three name lengths, and whether one Put of each is accepted (etcd's 1.5 MiB request limit);
#  2. Put latency and watch delivery (Put start -> event on a second client), 1,000 sequential Puts;
#  3. the registration storm (100 nsqd x 1,000 topics x 5 channels = 600,000 entries through one instance) through
#     the coalescing writer of docs/cluster.md (a connection's buckets written when quiet 50 ms or 1 s after its first
#     unwritten change; Txns of <= 128 ops and <= 1 MiB of values; buckets <= 64 KiB), REGISTERs all at once and
#     spread over 5 s: Txns, Puts, value bytes, and when a watcher on a second client has seen every entry;
#  4. a watch from a compacted revision (cancelled, with compact_revision);
#  5. a watch across an etcd restart: events written after etcd returns but before the client reconnects are
#     delivered (resumed at the next revision), and what the client prints meanwhile;
#  6. a leased key without keep-alive: time until etcd deletes it (TTL 10 s);
#  7. the same across a 15 s outage of the whole etcd: is the lease still there when etcd returns, with what TTL left.
# Usage: bench/cluster-spike.sh [RUNS]   (default 3; steps 1-4 are repeated RUNS times)
# Needs: etcd and etcdctl 3.4+ (Debian: etcd-server, etcd-client), dotnet 10, python3, the NuGet registry.
# Loopback only; the etcd it starts is stopped by PID; the temporary folder is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-3}
command -v etcd >/dev/null && command -v etcdctl >/dev/null || { echo "needs etcd and etcdctl (apt-get install etcd-server etcd-client)" >&2; exit 1; }
work=$(mktemp -d)
etcd_pid=
cleanup() { [ -n "$etcd_pid" ] && kill "$etcd_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
read -r cport pport < <(free_ports)
export ETCDCTL_API=3
ctl() { etcdctl --endpoints="127.0.0.1:$cport" "$@"; }
start_etcd() {
  etcd --name spike --data-dir "$work/etcd" --listen-client-urls "http://127.0.0.1:$cport" \
    --advertise-client-urls "http://127.0.0.1:$cport" --listen-peer-urls "http://127.0.0.1:$pport" \
    --initial-advertise-peer-urls "http://127.0.0.1:$pport" --initial-cluster "spike=http://127.0.0.1:$pport" \
    >>"$work/etcd.log" 2>&1 &
  etcd_pid=$!
  until ctl endpoint health >/dev/null 2>&1; do sleep 0.1; done
}
start_etcd
echo "etcd $(etcd --version | head -1 | awk '{print $3}') on 127.0.0.1:$cport (pid $etcd_pid)"

for app in app resume; do
  mkdir -p "$work/$app"
  cat >"$work/$app/spike.csproj" <<'CS'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="dotnet-etcd" Version="10.0.0" />
  </ItemGroup>
</Project>
CS
done
cat >"$work/app/Program.cs" <<'CS'
// bench/cluster-spike.sh: sizes, Put/watch latency, the coalesced storm, a watch from a compacted revision.
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;

var ep = args[0];
DateTime D(double s = 5) => DateTime.UtcNow.AddSeconds(s);
var w = new EtcdClient(ep, configureChannelOptions: o => o.Credentials = Grpc.Core.ChannelCredentials.Insecure);
var r = new EtcdClient(ep, configureChannelOptions: o => o.Credentials = Grpc.Core.ChannelCredentials.Insecure);
const string P = "/spike/";
await w.TransactionAsync(new TxnRequest { Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = BS(P), RangeEnd = BS("/spike0") } } } }, deadline: D());

// 1. lease + keepalive
var lease = await w.LeaseGrantAsync(new LeaseGrantRequest { TTL = 10 }, deadline: D());
var cts = new CancellationTokenSource();
_ = w.LeaseKeepAlive(lease.ID, cts.Token);
Console.WriteLine($"lease {lease.ID:x} ttl {lease.TTL}");

// 2. encoding sizes
static byte[] Encode(IEnumerable<(string t, string[] ch)> topics)
{
    var ms = new MemoryStream(); var bw = new BinaryWriter(ms);
    bw.Write((byte)1); bw.Write(0); int entries = 0;
    foreach (var (t, ch) in topics)
    {
        var tb = Encoding.UTF8.GetBytes(t); bw.Write((ushort)tb.Length); bw.Write(tb); bw.Write((byte)1); bw.Write((ushort)ch.Length);
        entries += 1 + ch.Length;
        foreach (var c in ch) { var cb = Encoding.UTF8.GetBytes(c); bw.Write((byte)cb.Length); bw.Write(cb); }
    }
    bw.Flush(); var a = ms.ToArray(); BinaryPrimitives.WriteInt32LittleEndian(a.AsSpan(1), entries); return a;
}
IEnumerable<(string, string[])> Gen(int n, int tl, int cl) => Enumerable.Range(0, n).Select(i => (("t" + i.ToString("D6")).PadRight(tl, 'x'), Enumerable.Range(0, 5).Select(j => ("c" + j).PadRight(cl, 'y')).ToArray()));
foreach (var (tl, cl, label) in new[] { (12, 9, "typical (12-byte topics, 9-byte channels)"), (32, 16, "long (32/16)"), (64, 64, "maximal (64/64)") })
{
    var v = Encode(Gen(10_000, tl, cl));
    string res;
    try { await w.PutAsync(new PutRequest { Key = BS(P + "size/" + tl), Value = ByteString.CopyFrom(v), Lease = lease.ID }, deadline: D()); res = "accepted"; }
    catch (Exception e) { res = "REFUSED: " + e.Message.Split('\n')[0]; }
    Console.WriteLine($"10000x5 {label}: {v.Length} bytes ({v.Length / 1048576.0:F2} MiB) one Put: {res}");
}

// 3. watch latency
var stamps = new ConcurrentDictionary<string, long>();
var lat = new ConcurrentBag<double>();
long watchedEntries = 0; var lastCount = new ConcurrentDictionary<string, int>(); long lastSeenTicks = 0; long totalEvents = 0;
var wreq = new WatchRequest { CreateRequest = new WatchCreateRequest { Key = BS(P), RangeEnd = BS("/spike0") } };
var watchTask = r.WatchAsync(wreq, (WatchResponse resp) =>
{
    var now = Stopwatch.GetTimestamp();
    foreach (var ev in resp.Events)
    {
        Interlocked.Increment(ref totalEvents);
        var k = ev.Kv.Key.ToStringUtf8();
        if (k.StartsWith(P + "lat/")) { if (stamps.TryGetValue(k, out var t0)) lat.Add(Stopwatch.GetElapsedTime(t0, now).TotalMilliseconds); }
        else if (k.StartsWith(P + "reg/"))
        {
            int c = ev.Type == Mvccpb.Event.Types.EventType.Delete ? 0 : BinaryPrimitives.ReadInt32LittleEndian(ev.Kv.Value.Span[1..]);
            var old = lastCount.GetValueOrDefault(k); lastCount[k] = c; Interlocked.Add(ref watchedEntries, c - old);
            Volatile.Write(ref lastSeenTicks, now);
        }
    }
}, deadline: null);
await Task.Delay(500);
var putLat = new List<double>();
for (int i = 0; i < 1000; i++)
{
    var k = P + "lat/" + i; var t0 = Stopwatch.GetTimestamp(); stamps[k] = t0;
    await w.PutAsync(new PutRequest { Key = BS(k), Value = BS("x"), Lease = lease.ID }, deadline: D());
    putLat.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
}
await Task.Delay(300);
Console.WriteLine($"put p50 {Pct(putLat, 50):F2} ms p99 {Pct(putLat, 99):F2}; watch delivery (put start -> event) n={lat.Count} p50 {Pct(lat.ToList(), 50):F2} ms p99 {Pct(lat.ToList(), 99):F2} ms");

// 4. storm: 100 peers x 1000 topics x 5 channels through one instance, coalesced
foreach (var (paceSec, quietMs, maxMs) in new[] { (0.0, 50, 1000), (5.0, 50, 1000), (5.0, 50, 250) })
{
    await w.TransactionAsync(new TxnRequest { Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = BS(P + "reg/"), RangeEnd = BS(P + "reg0") } } } }, deadline: D());
    await Task.Delay(300);
    Interlocked.Exchange(ref watchedEntries, 0); lastCount.Clear();
    var peers = Enumerable.Range(0, 100).Select(i => new Peer($"10.0.{i / 250}.{i % 250}:4{i:D4}")).ToArray();
    long txns = 0, bytes = 0, puts = 0;
    var start = Stopwatch.GetTimestamp();
    bool ingestDone = false;
    var ingest = Task.Run(async () =>
    {
        // each peer registers 1000 topics x (topic + 5 channels) = 6000 REGISTERs, paced over paceSec
        int steps = paceSec == 0 ? 1 : (int)(paceSec * 100);
        for (int s = 0; s < steps; s++)
        {
            int from = 1000 * s / steps, to = 1000 * (s + 1) / steps;
            foreach (var p in peers) lock (p) { for (int t = from; t < to; t++) { p.Topics[$"topic-{t:D6}"] = ["channel-0", "channel-1", "channel-2", "channel-3", "channel-4"]; } p.Touch(); }
            if (paceSec > 0) { var due = start + (long)((s + 1) * paceSec / steps * Stopwatch.Frequency); while (Stopwatch.GetTimestamp() < due) await Task.Delay(1); }
        }
        ingestDone = true;
    });
    // flusher: a peer's record is written when quiet for quietMs, or maxMs after its first unwritten change
    while (true)
    {
        var now = Stopwatch.GetTimestamp();
        var ops = new List<RequestOp>(); long opBytes = 0;
        async Task Flush() { if (ops.Count == 0) return; var tr = new TxnRequest(); tr.Success.AddRange(ops); await w.TransactionAsync(tr, deadline: D()); txns++; bytes += opBytes; puts += ops.Count; ops.Clear(); opBytes = 0; }
        foreach (var p in peers)
        {
            byte[][]? buckets = null;
            lock (p)
            {
                if (p.DirtySince == 0) continue;
                if (Stopwatch.GetElapsedTime(p.LastChange, now).TotalMilliseconds < quietMs && Stopwatch.GetElapsedTime(p.DirtySince, now).TotalMilliseconds < maxMs) continue;
                buckets = p.EncodeBuckets(64 * 1024); p.DirtySince = 0; for (int b = buckets.Length; b < p.PrevN; b++) ops.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = BS($"{P}reg/i1/{p.Id}/{b}") } }); p.PrevN = buckets.Length;
            }
            for (int b = 0; b < buckets.Length; b++)
            {
                var v = buckets[b];
                if (ops.Count == 128 || opBytes + v.Length > 1024 * 1024) await Flush();
                ops.Add(new RequestOp { RequestPut = new PutRequest { Key = BS($"{P}reg/i1/{p.Id}/{b}"), Value = ByteString.CopyFrom(v), Lease = lease.ID } });
                opBytes += v.Length;
            }
        }
        await Flush();
        if (ingestDone && peers.All(p => p.DirtySince == 0)) break;
        await Task.Delay(10);
    }
    var written = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    var sw = Stopwatch.StartNew();
    while (Interlocked.Read(ref watchedEntries) < 600_000 && sw.ElapsedMilliseconds < 30000) await Task.Delay(1);
    var seen = Stopwatch.GetElapsedTime(start, Volatile.Read(ref lastSeenTicks)).TotalMilliseconds;
    Console.WriteLine($"storm pace={paceSec}s quiet={quietMs}ms max={maxMs}ms: {txns} Txns, {puts} puts, {bytes / 1048576.0:F1} MiB values; last write acked at {written:F0} ms; watcher saw all {Interlocked.Read(ref watchedEntries)} entries at {seen:F0} ms");
}
cts.Cancel();
Console.WriteLine($"watch events total {Interlocked.Read(ref totalEvents)}");
var st = await w.StatusAsync(new StatusRequest(), deadline: D());
Console.WriteLine($"etcd db size {st.DbSize / 1048576.0:F1} MiB, revision {st.Header.Revision}");
var rev = st.Header.Revision;
await w.CompactAsync(new CompactionRequest { Revision = rev - 10 }, deadline: D());
long compactRev = -1; bool canceled = false; var got = new TaskCompletionSource();
_ = r.WatchAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = BS(P), RangeEnd = BS("/spike0"), StartRevision = rev - 500 } }, (WatchResponse resp) => { if (resp.CompactRevision != 0 || resp.Canceled) { compactRev = resp.CompactRevision; canceled = resp.Canceled; got.TrySetResult(); } }, deadline: null);
await Task.WhenAny(got.Task, Task.Delay(5000));
Console.WriteLine($"watch from a compacted revision: canceled={canceled} compact_revision={compactRev} (compacted at {rev - 10})");
await w.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID }, deadline: D());
return;

static ByteString BS(string s) => ByteString.CopyFromUtf8(s);
static double Pct(List<double> l, int p) { if (l.Count == 0) return double.NaN; l.Sort(); return l[Math.Min(l.Count - 1, l.Count * p / 100)]; }

class Peer(string id)
{
    public string Id = id;
    public Dictionary<string, string[]> Topics = new();
    public long DirtySince, LastChange; public int PrevN;
    public void Touch() { LastChange = Stopwatch.GetTimestamp(); if (DirtySince == 0) DirtySince = LastChange; }
    public byte[][] EncodeBuckets(int target)
    {
        long est = Topics.Sum(kv => 5 + kv.Key.Length + kv.Value.Sum(c => 1 + c.Length));
        int n = 1; while (est / n > target) n *= 2;
        var groups = new List<(string, string[])>[n]; for (int i = 0; i < n; i++) groups[i] = new();
        foreach (var kv in Topics) groups[(int)((uint)StableHash(kv.Key) % (uint)n)].Add((kv.Key, kv.Value));
        return groups.Select(g => Enc(g)).ToArray();
    }
    static int StableHash(string s) { unchecked { int h = (int)2166136261; foreach (var ch in s) h = (h ^ ch) * 16777619; return h; } }
    static byte[] Enc(List<(string t, string[] ch)> topics)
    {
        var ms = new MemoryStream(); var bw = new BinaryWriter(ms); bw.Write((byte)1); bw.Write(0); int entries = 0;
        foreach (var (t, ch) in topics) { var tb = Encoding.UTF8.GetBytes(t); bw.Write((ushort)tb.Length); bw.Write(tb); bw.Write((byte)1); bw.Write((ushort)ch.Length); entries += 1 + ch.Length; foreach (var c in ch) { var cb = Encoding.UTF8.GetBytes(c); bw.Write((byte)cb.Length); bw.Write(cb); } }
        bw.Flush(); var a = ms.ToArray(); BinaryPrimitives.WriteInt32LittleEndian(a.AsSpan(1), entries); return a;
    }
}
CS
cat >"$work/resume/Program.cs" <<'CS'
// Does dotnet-etcd's watch resume after an etcd restart without losing events written before it reconnects?
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
var ep = args[0];
var c = new EtcdClient(ep, configureChannelOptions: o => o.Credentials = Grpc.Core.ChannelCredentials.Insecure);
var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
var start = (await c.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("/spike/r/0"), Value = ByteString.CopyFromUtf8("0") }, deadline: DateTime.UtcNow.AddSeconds(5))).Header.Revision;
_ = c.WatchAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8("/spike/r/"), RangeEnd = ByteString.CopyFromUtf8("/spike/r0"), StartRevision = start + 1 } },
    (WatchResponse r) => { foreach (var e in r.Events) { seen.Enqueue($"{e.Kv.Key.ToStringUtf8()}@{e.Kv.ModRevision}"); Console.Error.WriteLine($"[spike] {DateTime.UtcNow:HH:mm:ss.fff} event {e.Kv.Key.ToStringUtf8()} rev {e.Kv.ModRevision}"); } if (r.Canceled || r.CompactRevision != 0) Console.Error.WriteLine($"[spike] canceled={r.Canceled} compact={r.CompactRevision}"); }, deadline: null);
Console.Error.WriteLine($"[spike] watching from {start + 1}; ready");
File.WriteAllText(args[1], "ready");
await Task.Delay(TimeSpan.FromSeconds(double.Parse(args[2])));
Console.Error.WriteLine($"[spike] saw {seen.Count}: {string.Join(" ", seen)}");
// a Get with a deadline against whatever state etcd is in
var sw = System.Diagnostics.Stopwatch.StartNew();
try { await c.GetAsync("/spike/r/0", deadline: DateTime.UtcNow.AddSeconds(1)); Console.Error.WriteLine($"[spike] get ok {sw.ElapsedMilliseconds} ms"); }
catch (Exception e) { Console.Error.WriteLine($"[spike] get failed after {sw.ElapsedMilliseconds} ms: {e.GetType().Name} {e.Message.Split('\n')[0]}"); }
CS
for app in app resume; do dotnet build "$work/$app" -c Release -nologo -v q >/dev/null; done

for i in $(seq "$runs"); do
  echo "--- run $i"
  dotnet "$work/app/bin/Release/net10.0/spike.dll" "http://127.0.0.1:$cport" | grep -v '^lease'
done

echo "--- watch across an etcd restart (lines from the client itself are not prefixed [spike])"
rm -f "$work/ready"
dotnet "$work/resume/bin/Release/net10.0/spike.dll" "http://127.0.0.1:$cport" "$work/ready" 20 >"$work/resume.out" 2>"$work/resume.err" &
client=$!
until [ -f "$work/ready" ]; do sleep 0.1; done
for k in 1 2 3; do ctl put /spike/r/$k a >/dev/null; done
kill "$etcd_pid"; wait "$etcd_pid" 2>/dev/null || true; sleep 3
start_etcd
for k in 4 5 6; do ctl put /spike/r/$k a >/dev/null; done
echo "etcd restarted; keys 4-6 written at $(date -u +%T.%3N)"
wait "$client"
sed 's/^/  stdout: /' "$work/resume.out"; sed 's/^/  stderr: /' "$work/resume.err"

echo "--- a leased key without keep-alive"
lease=$(ctl lease grant 10 | awk '{print $2}')
ctl put --lease="$lease" /spike/leased v >/dev/null
t0=$(date +%s.%N)
while [ -n "$(ctl get /spike/leased --print-value-only)" ]; do sleep 0.05; done
echo "gone after $(python3 -c "print(round($(date +%s.%N) - $t0, 2))") s (TTL 10 s)"

echo "--- a leased key across a 15 s outage of the whole etcd (no keep-alive at any time)"
lease=$(ctl lease grant 10 | awk '{print $2}')
ctl put --lease="$lease" /spike/outage v >/dev/null
kill "$etcd_pid"; wait "$etcd_pid" 2>/dev/null || true; sleep 15
start_etcd
t0=$(date +%s.%N)
echo "after etcd returned: $(ctl get /spike/outage --print-value-only | grep -c v) key(s); $(ctl lease timetolive "$lease")"
while [ -n "$(ctl get /spike/outage --print-value-only)" ]; do sleep 0.05; done
echo "gone $(python3 -c "print(round($(date +%s.%N) - $t0, 2))") s after etcd returned"
