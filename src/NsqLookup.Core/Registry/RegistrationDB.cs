using System.Collections.Immutable;

namespace NsqLookup.Registry;

/// <summary>
/// The directory: (category, key, subkey) → producers (nsqlookupd/registration_db.go), stored so that every
/// operation costs what its answer costs, never what the directory holds (docs/registry.md).
/// <list type="bullet">
/// <item>Keys are filed by topic (<see cref="TopicNode"/>); an entry is a peer slot in its key's set; each peer
/// keeps its own entries grouped by topic (<see cref="PeerState"/>). Names are interned (<see cref="NameTable"/>).</item>
/// <item>One lock guards all of it. Writers hold it for O(1) (REGISTER) or O(what they remove); readers hold it
/// only to copy their answer or one bounded piece of it. Topic and channel name lists are immutable sorted sets,
/// replaced on change, so <c>/topics</c> takes no lock and nothing is sorted on a query.</item>
/// <item>Every field is declared here. The bookkeeping of entries and keys (the counters, topic versions, cached
/// <c>/nodes</c> rows, empty-since stamps and tombstones) is done only by the primitives in
/// <c>RegistrationDB.Keys.cs</c>, <c>RegistrationDB.Entries.cs</c> and <c>RegistrationDB.Tombstones.cs</c>; the
/// commands, the disconnect, the pruning and the restored tombstones call them.</item>
/// </list>
/// Unlike the Go original, <c>*</c> is never a wildcard here (spec §8 item 5): every name is literal.
/// </summary>
internal sealed partial class RegistrationDB
{
    private static readonly ImmutableSortedSet<string> NoNames = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly NameTable _names = new();
    private readonly Dictionary<string, TopicNode> _topicNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PeerState> _peers = new(StringComparer.Ordinal);
    private readonly List<PeerState?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private KeyNode? _clientKey;

    /// <summary>Peers detached (<see cref="DetachPeer"/>) whose entries are not all released yet; while zero, no key
    /// holds a slot that queries must skip.</summary>
    private int _detached;

    /// <summary>Departures waiting for the release worker; also the worker's lock.</summary>
    private readonly Queue<PeerDeparture> _releases = new();
    private bool _releasing;

    // Process exit (RegistrationDB.Exit.cs): set once by BeginExit, read without the lock by disconnects.
    private volatile bool _exiting;
    private volatile bool _exitListsRegistrations;

    /// <summary>Names with a topic key (<c>/topics</c>); replaced, never mutated, so readers need no lock.</summary>
    private ImmutableSortedSet<string> _topicNames = NoNames;

    /// <summary>Names of every <see cref="TopicNode"/> (topic key or channel keys): what <c>/debug</c> walks.</summary>
    private ImmutableSortedSet<string> _nodeNames = NoNames;

    /// <summary>During <see cref="AddRegistrations"/> only: the two name lists being built, published once at its end
    /// (one immutable-set insert per key allocated ~1 KB and made a 100,000-key restore GC-bound).</summary>
    private ImmutableSortedSet<string>.Builder? _topicNamesBatch;
    private ImmutableSortedSet<string>.Builder? _nodeNamesBatch;

    /// <summary>Channel keys across all topics (a metrics gauge).</summary>
    private int _channelKeys;

    /// <summary>Producer entries in topic keys, detached peers' excluded (a metrics gauge).</summary>
    private int _topicEntries;

    /// <summary>Producer entries in channel keys, detached peers' excluded (a metrics gauge).</summary>
    private int _channelEntries;

    /// <summary>The last version given to a <c>/nodes</c> row (<see cref="NodeRow.Version"/>); unique across peers.</summary>
    private long _rowVersions;

    /// <summary>Topic → (producer id, stamp) of tombstones brought back from <c>--data-path</c>; null while there are
    /// none, which is always without a data path.</summary>
    private Dictionary<string, Dictionary<string, TombstoneStamp>>? _restoredTombstones;

    public RegistrationDB(TimeProvider time, TimeSpan inactiveProducerTimeout, TimeSpan tombstoneLifetime)
    {
        _time = time;
        InactiveProducerTimeout = inactiveProducerTimeout;
        TombstoneLifetime = tombstoneLifetime;
    }

    public TimeSpan InactiveProducerTimeout { get; }

    public TimeSpan TombstoneLifetime { get; }
}
