using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>
/// Readers racing writers must only ever see states the writers produced in one step: a topic that exists
/// together with what was created before it, never a half-deleted topic (docs/protocol.md, "Deliberate differences" item 11), and never a
/// <c>/nodes</c> row whose arrays disagree.
/// </summary>
public sealed class TornStateTests
{
    private static readonly TimeSpan RunFor = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task Readers_NeverSeeAHalfBuiltOrHalfDeletedTopic()
    {
        var h = new RegistryHarness();
        var owner = h.Identify("10.0.0.1:1000");
        var torn = new List<string>();
        using var stop = new CancellationTokenSource(RunFor);

        // Writer 1: channels, then the topic; one DeleteTopic removes all three keys at once.
        var http = Run(stop.Token, () =>
        {
            h.Db.AddRegistration(Registration.Channel("t", "c1"));
            h.Db.AddRegistration(Registration.Channel("t", "c2"));
            h.Db.AddRegistration(Registration.Topic("t"));
            h.Db.DeleteTopic("t");
        });

        // Writer 2: REGISTER creates the ephemeral topic with its producer; UNREGISTER removes both at once.
        var tcp = Run(stop.Token, () =>
        {
            h.Register(owner, "e#ephemeral");
            h.Db.Tombstone("e#ephemeral", "nsqd1.example:4151");
            h.Db.UnregisterTopic("e#ephemeral", owner.Id);
        });

        var reader = Run(stop.Token, () =>
        {
            if (h.Db.Lookup("t") is { } t && !t.Channels.SequenceEqual(["c1", "c2"]))
            {
                Report(torn, $"/lookup?topic=t exists with channels [{string.Join(",", t.Channels)}]");
            }

            // The producer is tombstoned right after REGISTER, so it may be hidden, but the topic never exists
            // without its entry: /debug and /nodes agree with /lookup about that.
            if (h.Db.Lookup("e#ephemeral") is { Producers.Count: > 1 })
            {
                Report(torn, "/lookup?topic=e#ephemeral lists a producer twice");
            }

            foreach (var node in h.Db.Nodes())
            {
                if (node.Topics.Count != node.Tombstones.Count || node.Topics.Distinct().Count() != node.Topics.Count)
                {
                    Report(torn, "/nodes row with mismatched or repeated topics");
                }
            }

            var debug = h.Db.Debug();
            if (debug.Any(r => r.Entries.Count == 0) || debug.Any(r => r.Name == "topic:e#ephemeral:" && r.Entries.Count != 1))
            {
                Report(torn, "/debug listed a key without its one entry");
            }
        });

        var ephemeralReader = Run(stop.Token, () =>
        {
            var topics = h.Db.Topics();
            var exists = topics.Contains("e#ephemeral");
            if (exists && h.Db.Lookup("e#ephemeral") is { } e && e.Channels.Count != 0)
            {
                Report(torn, "/lookup?topic=e#ephemeral has channels");
            }

            if (!topics.SequenceEqual(topics.Order(StringComparer.Ordinal)))
            {
                Report(torn, "/topics out of order");
            }
        });

        await Task.WhenAll(http, tcp, reader, ephemeralReader).WaitAsync(TimeSpan.FromSeconds(30));
        torn.Should().BeEmpty();
    }

    [Fact]
    public async Task ATopicAndItsOnlyProducer_AppearAndVanishTogether()
    {
        var h = new RegistryHarness();
        var owner = h.Identify("10.0.0.1:1000");
        var torn = new List<string>();
        using var stop = new CancellationTokenSource(RunFor);

        var tcp = Run(stop.Token, () =>
        {
            h.Register(owner, "e#ephemeral", "c#ephemeral");
            h.Db.UnregisterTopic("e#ephemeral", owner.Id);
            h.Db.UnregisterChannel("e#ephemeral", "c#ephemeral", owner.Id);
        });

        var reader = Run(stop.Token, () =>
        {
            // An empty ephemeral topic key is deleted in the same step that removed its last producer, so a
            // reader that finds the topic must find the producer too (the Go original's three-lock /lookup could not).
            if (h.Db.Lookup("e#ephemeral") is { } e && (e.Producers.Count != 1 || !ReferenceEquals(e.Producers[0], owner)))
            {
                Report(torn, $"/lookup?topic=e#ephemeral exists with {e.Producers.Count} producers");
            }
        });

        await Task.WhenAll(tcp, reader).WaitAsync(TimeSpan.FromSeconds(30));
        torn.Should().BeEmpty();
    }

    private static void Report(List<string> torn, string what)
    {
        lock (torn)
        {
            if (torn.Count < 5)
            {
                torn.Add(what);
            }
        }
    }

    /// <summary>Repeats <paramref name="step"/> on a dedicated thread until the token fires.</summary>
    private static Task Run(CancellationToken stop, Action step) => Task.Factory.StartNew(
        () =>
        {
            while (!stop.IsCancellationRequested)
            {
                step();
            }
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);
}
