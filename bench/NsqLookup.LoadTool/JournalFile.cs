using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace NsqLookup.LoadTool;

/// <summary>
/// <c>nsqlookup-load journal</c>: writes a <c>--data-path</c> journal of N records from the format in
/// docs/persistence.md (written independently of the daemon's encoder, so a start on it also checks the format),
/// for measuring the start with a large journal. Records alternate a new topic and a channel of it.
/// </summary>
internal static class JournalFile
{
    public const string Usage = "usage: nsqlookup-load journal --out=FILE [--records=N (100000)]";

    public static int Run(string[] args, TextWriter output)
    {
        string? path = null;
        var records = 100_000;
        foreach (var arg in args)
        {
            var (name, value) = arg.Split('=', 2) is [var n, var v] ? (n, v) : throw new ArgumentException(Usage);
            switch (name)
            {
                case "--out": path = value; break;
                case "--records": records = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException(Usage);
            }
        }

        if (path is null)
        {
            throw new ArgumentException(Usage);
        }

        using var file = new BufferedStream(File.Create(path), 1 << 16);
        var header = new byte[20];
        "NSQLJRN1"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc32C(header.AsSpan(0, 16)));
        file.Write(header);
        var record = new byte[512];
        for (var i = 0; i < records; i++)
        {
            var topic = "journal-topic-" + (i / 2).ToString(CultureInfo.InvariantCulture);
            var payload = record.AsSpan(8);
            payload[0] = (byte)(i % 2 == 0 ? 1 : 3); // create topic, create channel
            var length = 1 + WriteString(payload[1..], topic);
            if (i % 2 == 1)
            {
                length += WriteString(payload[length..], "channel");
            }

            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32C(record.AsSpan(0, 4), record.AsSpan(8, length)));
            file.Write(record, 0, 8 + length);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"journal: {records} records, {file.Length} bytes -> {path}"));
        return 0;
    }

    private static int WriteString(Span<byte> into, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text, into[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(into, (ushort)bytes);
        return 2 + bytes;
    }

    private static uint Crc32C(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default)
    {
        var crc = uint.MaxValue;
        foreach (var b in first)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        foreach (var b in second)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
