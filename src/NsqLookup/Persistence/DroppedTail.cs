namespace NsqLookup.Persistence;

/// <summary>What the journal's last, invalid record was when replay dropped it (the <c>WARNING:</c> says which).</summary>
internal enum DroppedTail
{
    /// <summary>Shorter than its header or than the length it announces: an append cut short by a crash. A record is
    /// acknowledged only after its fsync, so this one never was.</summary>
    Incomplete,

    /// <summary>Zeros only: space an append had allocated but whose data never reached the disk; never acknowledged.</summary>
    Unwritten,

    /// <summary>Complete but failing its checksum (or not decoding): damaged on disk. Whether it had been acknowledged
    /// cannot be told.</summary>
    Damaged,
}
