using BenchmarkDotNet.Attributes;
using NsqLookup.Registry;

namespace NsqLookup.Benchmarks;

/// <summary>Disconnect cleanup: RemovePeer of one producer registered in the client key and every topic and
/// channel (the whole cleanup), and DetachPeer, the O(1) part a disconnect runs on the socket thread (the rest runs
/// on the release worker). Each invocation removes a different producer; they are registered again before each
/// iteration.</summary>
[MemoryDiagnoser]
[InvocationCount(10, 1)]
public class RegistryRemovePeerBenchmarks
{
    private RegistrationDB _db = null!;
    private PeerInfo[] _peers = null!;
    private int _next;
    private readonly List<PeerDeparture> _departures = [];

    [Params(10, 100)]
    public int Producers { get; set; }

    [Params(1000)]
    public int Topics { get; set; }

    [GlobalSetup]
    public void Setup() => _db = RegistryFixture.Create(Producers, Topics, out _peers);

    [IterationSetup]
    public void Reregister()
    {
        foreach (var departure in _departures)
        {
            _db.ReleasePeer(departure);
        }

        _departures.Clear();
        for (var i = 0; i < _next; i++)
        {
            RegistryFixture.Register(_db, _peers[i % _peers.Length], Topics);
        }

        _next = 0;
    }

    [Benchmark(Baseline = true)]
    public int RemovePeer() => _db.ReleasePeer(_db.DetachPeer(_peers[_next++ % _peers.Length].Id)!).Count;

    /// <summary>Detach only: the peer is gone from every answer; its entries wait for a release, which the next
    /// iteration's re-registration follows (a detached peer's entries stay until released, so it releases them).</summary>
    [Benchmark]
    public bool DetachPeer()
    {
        var departure = _db.DetachPeer(_peers[_next++ % _peers.Length].Id);
        _departures.Add(departure!);
        return departure is not null;
    }
}
