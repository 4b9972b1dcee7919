namespace NsqLookup.Registry;

/// <summary><c>/lookup</c>'s answer, taken under one lock (docs/protocol.md, "Deliberate differences"). <see cref="Stamp"/>, when not null,
/// is the answer's version: handed back to <see cref="RegistrationDB.Lookup"/>, it comes back (the same instance)
/// for as long as the answer is still this one. Null for an answer that leaves out an inactive producer, which a
/// PING brings back without touching the topic.</summary>
internal sealed record LookupResult(IReadOnlyList<string> Channels, IReadOnlyList<PeerInfo> Producers)
{
    public LookupStamp? Stamp { get; init; }
}
