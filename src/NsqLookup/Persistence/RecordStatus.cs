namespace NsqLookup.Persistence;

/// <summary>What <see cref="AdminRecordCodec.TryDecode"/> found at an offset.</summary>
internal enum RecordStatus
{
    /// <summary>A whole record with a matching checksum.</summary>
    Ok,

    /// <summary>Fewer bytes than the record's header or its announced length: a write cut short.</summary>
    Incomplete,

    /// <summary>A length out of range, a checksum that does not match, or a payload that does not decode.</summary>
    Corrupt,
}
