using BenchmarkDotNet.Attributes;
using NsqLookup.Registry;

namespace NsqLookup.Benchmarks;

/// <summary>The registry's read paths behind /lookup, /topics and /nodes, and AddProducer of a new entry, on a
/// directory of <see cref="Producers"/> producers × <see cref="Topics"/> topics × 5 channels.</summary>
[MemoryDiagnoser]
public class RegistryQueryBenchmarks
{
    private const int ExtraPeers = 5000;
    private const int AddsPerInvoke = 1000;

    private RegistrationDB _db = null!;
    private PeerInfo[] _extra = null!;
    private Registration[] _keys = null!;
    private int _next;
    private int _added;

    [Params(10, 100)]
    public int Producers { get; set; }

    [Params(1000)]
    public int Topics { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = RegistryFixture.Create(Producers, Topics, out _);
        _extra = Enumerable.Range(Producers, ExtraPeers).Select(RegistryFixture.Peer).ToArray();
        _keys = Enumerable.Range(0, Topics)
            .SelectMany(t => new[] { Registration.Topic(RegistryFixture.Topic(t)) }
                .Concat(Enumerable.Range(0, RegistryFixture.Channels).Select(c => Registration.Channel(RegistryFixture.Topic(t), $"c{c}"))))
            .ToArray();
    }

    /// <summary>/lookup: one topic's channels and live producers, under one lock.</summary>
    [Benchmark]
    public int Lookup() => _db.Lookup(RegistryFixture.Topic(_next++ % Topics))!.Producers.Count;

    [Benchmark(Description = "Topics")]
    public int TopicList() => _db.Topics().Count;

    /// <summary>/nodes: every live producer with the topics it is in.</summary>
    [Benchmark]
    public int Nodes() => _db.Nodes().Count;

    /// <summary>A new entry on an existing key (the REGISTER hot path): each add is a different (key, peer) pair, 1,000
    /// per invocation; the extra peers are removed after each iteration, outside the measurement.</summary>
    [Benchmark(OperationsPerInvoke = AddsPerInvoke)]
    public int AddProducer()
    {
        var added = 0;
        for (var i = 0; i < AddsPerInvoke; i++)
        {
            var n = _added++;
            added += _db.AddProducer(_keys[n / ExtraPeers % _keys.Length], _extra[n % ExtraPeers]) ? 1 : 0;
        }

        return added;
    }

    [IterationCleanup(Target = nameof(AddProducer))]
    public void RemoveAdded()
    {
        foreach (var peer in _extra)
        {
            _db.ReleasePeer(_db.DetachPeer(peer.Id)!);
        }

        _added = 0;
    }
}
