using System.Buffers;

namespace NsqLookup.Http;

/// <summary>An encoded JSON answer: one buffer, or a list of parts written back to back (a large answer assembled
/// from cached pieces, so it is never copied into one large-object-heap buffer).</summary>
internal sealed class JsonBody
{
    private JsonBody(IReadOnlyList<ReadOnlyMemory<byte>> parts, long length)
    {
        Parts = parts;
        Length = length;
    }

    public IReadOnlyList<ReadOnlyMemory<byte>> Parts { get; }

    public long Length { get; }

    public static JsonBody Of(ArrayBufferWriter<byte> buffer) => Of(buffer.WrittenMemory);

    public static JsonBody Of(ReadOnlyMemory<byte> bytes) => new([bytes], bytes.Length);

    public static JsonBody Of(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        long length = 0;
        foreach (var part in parts)
        {
            length += part.Length;
        }

        return new JsonBody(parts, length);
    }

    /// <summary>The parts in one array of exactly <see cref="Length"/> bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        var at = 0;
        foreach (var part in Parts)
        {
            part.Span.CopyTo(bytes.AsSpan(at));
            at += part.Length;
        }

        return bytes;
    }
}
