using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>Smoke test for the single lock: many peers churning while others query, then a clean final state.</summary>
public sealed class ConcurrencyTests
{
    private const int Workers = 8;
    private const int Iterations = 300;

    [Fact]
    public async Task Concurrent_ChurnAndQueriesLeaveAConsistentRegistry()
    {
        var h = new RegistryHarness(inactiveProducerTimeout: TimeSpan.FromSeconds(1), tombstoneLifetime: TimeSpan.FromSeconds(1));
        using var start = new Barrier(Workers + 2);

        var workers = Enumerable.Range(0, Workers).Select(w => OnOwnThread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < Iterations; i++)
            {
                var peer = h.Identify($"10.0.{w}.{i % 250}:{1000 + i}", broadcastAddress: $"n{w}");
                var topic = $"t{i % 5}";
                h.Register(peer, topic, $"c{w % 3}");
                h.Register(peer, $"e{i % 3}#ephemeral", "x#ephemeral");
                h.Db.Tombstone(topic, $"n{w}:4151");
                h.Db.Touch(peer);
                h.Db.UnregisterChannel(topic, $"c{w % 3}", peer.Id);
                if (i % 2 == 0)
                {
                    h.Db.UnregisterTopic($"e{i % 3}#ephemeral", peer.Id);
                }

                h.Db.Lookup(topic);
                if (h.Db.Nodes().Any(n => n.Topics.Count != n.Tombstones.Count))
                {
                    throw new InvalidOperationException("/nodes topics and tombstones differ in length");
                }

                h.Db.RemovePeer(peer.Id);
            }
        })).ToList();

        var http = OnOwnThread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < Iterations; i++)
            {
                h.Db.AddRegistration(Registration.Channel($"t{i % 5}", "http"));
                h.Db.AddRegistration(Registration.Topic($"t{i % 5}"));
                if (i % 10 == 0)
                {
                    h.Db.DeleteTopic($"t{(i / 10) % 5}");
                }

                h.Db.Topics();
                h.Db.Channels($"t{i % 5}");
                h.Db.Debug();
            }
        });

        var clock = OnOwnThread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < Iterations; i++)
            {
                h.Clock.Advance(TimeSpan.FromMilliseconds(10));
                h.Db.Nodes();
            }
        });

        await Task.WhenAll([.. workers, http, clock]).WaitAsync(TimeSpan.FromSeconds(60));

        h.Db.Nodes().Should().BeEmpty();
        h.Db.Debug().Should().BeEmpty();
        foreach (var topic in h.Db.Topics())
        {
            h.Db.Lookup(topic)!.Producers.Should().BeEmpty();
        }

        // A new connection that reuses an old address starts clean: no stale per-peer index survived.
        var again = h.Identify("10.0.0.0:1000");
        h.Node(again)!.Topics.Should().BeEmpty();
        h.Db.RemovePeer(again.Id).Should().Equal(Registration.Client);
    }

    /// <summary>A dedicated thread, so the start barrier never waits on thread-pool growth.</summary>
    private static Task OnOwnThread(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
