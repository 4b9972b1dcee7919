using System.Buffers.Binary;

namespace NsqLookup.Persistence;

/// <summary>The 20-byte header of the journal and of the snapshot: an 8-byte magic naming the file kind and format
/// version, the generation (u64: bumped by every compaction, so a journal older than the snapshot is recognised as
/// already folded in), and a CRC-32C of those 16 bytes.</summary>
internal static class FileHeader
{
    public const int Size = 20;

    public static ReadOnlySpan<byte> JournalMagic => "NSQLJRN1"u8;

    public static ReadOnlySpan<byte> SnapshotMagic => "NSQLSNP1"u8;

    public static byte[] Create(ReadOnlySpan<byte> magic, ulong generation)
    {
        var header = new byte[Size];
        magic.CopyTo(header);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), generation);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc32C.Compute(header.AsSpan(0, 16)));
        return header;
    }

    public static bool TryRead(ReadOnlySpan<byte> data, ReadOnlySpan<byte> magic, out ulong generation)
    {
        generation = 0;
        if (data.Length < Size
            || !data[..8].SequenceEqual(magic)
            || BinaryPrimitives.ReadUInt32LittleEndian(data[16..]) != Crc32C.Compute(data[..16]))
        {
            return false;
        }

        generation = BinaryPrimitives.ReadUInt64LittleEndian(data[8..]);
        return true;
    }
}
