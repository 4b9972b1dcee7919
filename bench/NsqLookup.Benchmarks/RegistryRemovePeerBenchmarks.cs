using BenchmarkDotNet.Attributes;
using NsqLookup.Registry;

namespace NsqLookup.Benchmarks;

/// <summary>Disconnect cleanup: RemovePeer of one producer registered in the client key and every topic and
/// channel. Each invocation removes a different producer; they are registered again before each iteration.</summary>
[MemoryDiagnoser]
[InvocationCount(10, 1)]
public class RegistryRemovePeerBenchmarks
{
    private RegistrationDB _db = null!;
    private PeerInfo[] _peers = null!;
    private int _next;

    [Params(10, 100)]
    public int Producers { get; set; }

    [Params(1000)]
    public int Topics { get; set; }

    [GlobalSetup]
    public void Setup() => _db = RegistryFixture.Create(Producers, Topics, out _peers);

    [IterationSetup]
    public void Reregister()
    {
        for (var i = 0; i < _next; i++)
        {
            RegistryFixture.Register(_db, _peers[i % _peers.Length], Topics);
        }

        _next = 0;
    }

    [Benchmark]
    public int RemovePeer() => _db.RemovePeer(_peers[_next++ % _peers.Length].Id).Count;
}
