namespace NsqLookup.Registry;

/// <summary>
/// One (registration, peer) entry. The tombstone is per entry (per topic of one nsqd); the liveness clock
/// lives in the shared <see cref="PeerInfo"/>. Mutated only under the <see cref="RegistrationDB"/> lock.
/// </summary>
internal sealed class Producer(PeerInfo peer)
{
    public PeerInfo Peer { get; } = peer;

    public bool Tombstoned { get; set; }

    public long TombstonedAtTimestamp { get; set; }

    public long TombstonedAtUnixNanos { get; set; } = GoTime.ZeroUnixNanos;
}
