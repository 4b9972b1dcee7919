using System.Buffers;
using System.Buffers.Binary;

namespace NsqLookup.Protocol;

/// <summary>
/// One response frame (internal/protocol/protocol.go <c>SendResponse</c>): 4-byte big-endian size, then the payload;
/// no frame-type word. Written as one contiguous block, so it leaves in one send (the Go original uses two writes).
/// </summary>
internal static class FrameWriter
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(4 + payload.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, payload.Length);
        payload.CopyTo(span[4..]);
        output.Advance(4 + payload.Length);
    }
}
