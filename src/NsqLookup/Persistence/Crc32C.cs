using System.Buffers.Binary;
using System.Numerics;

namespace NsqLookup.Persistence;

/// <summary>CRC-32C (Castagnoli), the checksum of every journal record and file header. Built on
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>, which the JIT and AOT compile to the SSE4.2/ARMv8 CRC
/// instruction (with a software fallback), so no package (System.IO.Hashing) and no table are needed.</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(~0u, data);

    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => ~Update(Update(~0u, first), second);

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
