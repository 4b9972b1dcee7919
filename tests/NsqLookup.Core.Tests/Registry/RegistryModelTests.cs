using CsCheck;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary>
/// Random sessions (IDENTIFY, PING, REGISTER/UNREGISTER in both forms, disconnect, the HTTP mutations, tombstones
/// and the clock) run against the real <see cref="RegistrationDB"/> and the flat-map <see cref="RegistryModel"/>;
/// every answer and every query (/topics, /channels, /lookup, /nodes, /debug, the metrics counts) must agree after every step.
/// Small name pools (with <c>#ephemeral</c> names) and three connections make the interesting collisions common.
/// </summary>
public sealed class RegistryModelTests
{
    private static readonly string[] TopicPool = ["a", "b", "e#ephemeral"];
    private static readonly string[] ChannelPool = ["x", "y", "z#ephemeral"];
    private static readonly string[] Broadcasts = ["n1", "n2", "::1"];
    private static readonly string[] NodePool = ["n1:4151", "n2:4151", "::1:4151", "[::1]:4151", "n1:4152", "*"];
    private static readonly int[] StepSeconds = [1, 20, 46, 150, 301];

    private static readonly Gen<RegistryOp> Op = Gen.Select(
        Gen.Frequency(
            (3, Gen.Const(RegistryOpKind.Identify)),
            (2, Gen.Const(RegistryOpKind.Ping)),
            (8, Gen.Const(RegistryOpKind.Register)),
            (4, Gen.Const(RegistryOpKind.Unregister)),
            (2, Gen.Const(RegistryOpKind.Disconnect)),
            (2, Gen.Const(RegistryOpKind.Tombstone)),
            (1, Gen.Const(RegistryOpKind.CreateTopic)),
            (1, Gen.Const(RegistryOpKind.CreateChannel)),
            (1, Gen.Const(RegistryOpKind.DeleteTopic)),
            (1, Gen.Const(RegistryOpKind.DeleteChannel)),
            (2, Gen.Const(RegistryOpKind.Advance)),
            (2, Gen.Const(RegistryOpKind.Detach)),
            (2, Gen.Const(RegistryOpKind.Release))),
        Gen.Int[0, 2],
        Gen.Int[0, TopicPool.Length - 1],
        Gen.Int[0, ChannelPool.Length], // == length: no channel (topic form)
        Gen.Int[0, 5],
        (kind, conn, topic, channel, arg) => new RegistryOp(kind, conn, topic, channel, arg));

    [Fact]
    public void RandomSessions_MatchTheFlatMapModel() =>
        Op.Array[1, 60].Sample(
            ops => new Session().Run(ops),
            iter: 400,
            print: ops => string.Join(Environment.NewLine, ops));

    /// <summary>One DB and one model driven in lockstep.</summary>
    private sealed class Session
    {
        private readonly RegistryHarness _h = new();
        private readonly RegistryModel _model;
        private readonly PeerInfo?[] _conns = new PeerInfo?[3];
        private readonly List<(PeerDeparture Departure, string Id, List<Registration> Expected)> _departures = [];
        private int _connections;

        /// <summary>What a caller made of an earlier <c>/lookup</c> answer, under that answer's version stamp.</summary>
        private readonly Dictionary<string, (LookupStamp? Stamp, string Answer)> _stored = [];

        public Session() => _model = new RegistryModel(_h.Clock, _h.Db.InactiveProducerTimeout, _h.Db.TombstoneLifetime);

        private RegistrationDB Db => _h.Db;

        public void Run(RegistryOp[] ops)
        {
            for (var i = 0; i < ops.Length; i++)
            {
                Apply(ops[i]);
                Compare($"after step {i}: {ops[i]}");
            }

            while (_departures.Count > 0)
            {
                Release(0);
                Compare("after the last releases");
            }
        }

        private void Apply(RegistryOp op)
        {
            // Fresh string instances every time, as the wire decoder makes them.
            var topic = new string(TopicPool[op.Topic]);
            var channel = op.Channel < ChannelPool.Length ? new string(ChannelPool[op.Channel]) : null;
            var peer = _conns[op.Conn];
            switch (op.Kind)
            {
                case RegistryOpKind.Identify:
                    if (peer is not null)
                    {
                        Disconnect(op.Conn, peer);
                    }

                    // A new connection is a new peer id (docs/protocol.md, "Registration model"); now and then it is the id of a connection that
                    // is detached but not yet released (the kernel reused the port).
                    var id = op.Arg == 5 && _departures.Count > 0 && !_conns.Any(c => c?.Id == _departures[^1].Id)
                        ? _departures[^1].Id
                        : $"10.0.0.{op.Conn}:{++_connections}";
                    peer = new IdentifyBody
                    {
                        BroadcastAddress = Broadcasts[op.Arg % Broadcasts.Length],
                        Hostname = "h",
                        TcpPort = 4150,
                        HttpPort = 4151,
                        Version = "1.3.0",
                    }.ToPeer(id);
                    _conns[op.Conn] = peer;
                    Db.Touch(peer);
                    _model.Touch(peer);
                    Same(Db.AddProducer(Registration.Client, peer), _model.AddProducer(Registration.Client, peer), "IDENTIFY");
                    break;
                case RegistryOpKind.Ping when peer is not null:
                    Db.Touch(peer);
                    _model.Touch(peer);
                    break;
                case RegistryOpKind.Register when peer is not null:
                    if (channel is not null)
                    {
                        var ch = Registration.Channel(topic, channel);
                        Same(Db.AddProducer(ch, peer), _model.AddProducer(ch, peer), "REGISTER channel");
                    }

                    Same(Db.AddProducer(Registration.Topic(topic), peer), _model.AddProducer(Registration.Topic(topic), peer), "REGISTER topic");
                    break;
                case RegistryOpKind.Unregister when peer is not null && channel is not null:
                    Same(Db.UnregisterChannel(topic, channel, peer.Id), _model.UnregisterChannel(topic, channel, peer.Id), "UNREGISTER t c");
                    break;
                case RegistryOpKind.Unregister when peer is not null:
                    var actual = Db.UnregisterTopic(topic, peer.Id);
                    var expected = _model.UnregisterTopic(topic, peer.Id);
                    actual.RemovedChannels.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected.Channels, "UNREGISTER t channels");
                    Same(actual.RemovedTopic, expected.Topic, "UNREGISTER t topic");
                    break;
                case RegistryOpKind.Disconnect when peer is not null:
                    Disconnect(op.Conn, peer);
                    break;
                case RegistryOpKind.Tombstone:
                    var node = NodePool[op.Arg];
                    Same(Db.Tombstone(topic, node), _model.Tombstone(topic, node), "tombstone");
                    break;
                case RegistryOpKind.CreateTopic:
                    Same(Db.AddRegistration(Registration.Topic(topic)), _model.AddRegistration(Registration.Topic(topic)), "create topic");
                    break;
                case RegistryOpKind.CreateChannel:
                    var created = Registration.Channel(topic, channel ?? "x");
                    Same(Db.AddRegistration(created), _model.AddRegistration(created), "create channel");
                    Same(Db.AddRegistration(Registration.Topic(topic)), _model.AddRegistration(Registration.Topic(topic)), "create channel's topic");
                    break;
                case RegistryOpKind.DeleteTopic:
                    // What /topic/delete runs: its channel keys in name order, then the topic key.
                    Db.DeleteTopic(topic).Should().Equal(_model.DeleteTopic(topic), "delete topic");
                    break;
                case RegistryOpKind.DeleteChannel:
                    var deleted = channel ?? "x";
                    Same(Db.DeleteChannel(topic, deleted), _model.RemoveRegistration(Registration.Channel(topic, deleted)), "delete channel");
                    break;
                case RegistryOpKind.Detach when peer is not null:
                    var departure = Db.DetachPeer(peer.Id);
                    var expectedRemoved = _model.RemovePeer(peer.Id);
                    if (departure is null)
                    {
                        expectedRemoved.Should().BeEmpty("no departure means no entry");
                    }
                    else
                    {
                        _departures.Add((departure, peer.Id, [.. expectedRemoved]));
                    }

                    _conns[op.Conn] = null;
                    break;
                case RegistryOpKind.Release when _departures.Count > 0:
                    Release(op.Arg % _departures.Count);
                    break;
                case RegistryOpKind.Advance:
                    _h.Clock.Advance(TimeSpan.FromSeconds(StepSeconds[op.Arg % StepSeconds.Length]));
                    break;
                default:
                    break; // a command on a connection that is not identified: the protocol rejects it first
            }
        }

        private void Disconnect(int conn, PeerInfo peer)
        {
            Db.RemovePeer(peer.Id).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(_model.RemovePeer(peer.Id), "disconnect");
            _conns[conn] = null;
        }

        /// <summary>What the detach took out of the model: an HTTP delete in between may have taken some of it first.</summary>
        private void Release(int index)
        {
            var (departure, _, expected) = _departures[index];
            _departures.RemoveAt(index);
            Db.ReleasePeer(departure).Should().OnlyHaveUniqueItems().And.BeSubsetOf(expected, "release");
        }

        private void Compare(string because)
        {
            Db.Topics().Should().Equal(_model.Topics(), because);
            Db.Counts().Should().Be(_model.Counts(), because);
            foreach (var topic in TopicPool)
            {
                Db.Channels(topic).Should().Equal(_model.Channels(topic), because);
                var expected = _model.Lookup(topic);
                _stored.TryGetValue(topic, out var stored);
                var actual = Db.Lookup(topic, stored.Stamp);
                (actual is null).Should().Be(expected is null, $"/lookup?topic={topic} exists {because}");
                if (actual is not null)
                {
                    actual.Channels.Should().Equal(expected!.Value.Channels, because);
                    RegistryModel.Sorted(actual.Producers.Select(p => p.Id)).Should().Equal(expected.Value.Producers, because);

                    // What a caller stored for an earlier answer comes back only while it is still the answer.
                    var answer = string.Join(",", expected.Value.Channels) + "|" + string.Join(",", expected.Value.Producers);
                    if (stored.Stamp is not null && ReferenceEquals(actual.Stamp, stored.Stamp))
                    {
                        stored.Answer.Should().Be(answer, $"the cached /lookup?topic={topic} {because}");
                    }
                    else if (actual.Stamp is { } stamp)
                    {
                        _stored[topic] = (stamp, answer);
                    }
                }
            }

            var nodes = Db.Nodes();
            nodes.Where(n => n.Topics.Count != n.Tombstones.Count).Should().BeEmpty(because);
            nodes.Select(n => n.Peer.Id).Should().OnlyHaveUniqueItems(because);
            nodes.ToDictionary(n => n.Peer.Id, n => RegistryModel.Sorted(n.Topics.Select((t, i) => $"{t}={n.Tombstones[i]}")))
                .Should().BeEquivalentTo(_model.Nodes(), o => o.WithStrictOrdering(), because);

            var debug = Db.Debug();
            debug.Select(r => r.Name).Should().BeInAscendingOrder(StringComparer.Ordinal, because).And.OnlyHaveUniqueItems(because);
            RegistryModel.Sorted(debug.SelectMany(r => r.Entries.Select(e => RegistryModel.DebugLine(
                    r.Name, e.Peer.Id, e.LastUpdateUnixNanos, e.Tombstoned, e.TombstonedAtUnixNanos))))
                .Should().Equal(_model.Debug(), because);
        }

        private static void Same<T>(T actual, T expected, string what) => actual.Should().Be(expected, what);
    }
}
