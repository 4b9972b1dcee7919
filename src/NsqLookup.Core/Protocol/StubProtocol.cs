using System.IO.Pipelines;

namespace NsqLookup.Protocol;

// TEMPORARY stubs, replaced by the protocol branch at merge.
public sealed class LookupProtocolV1
{
    public Task RunAsync(PipeReader input, PipeWriter output, ClientV1 client, CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class ClientV1(string id)
{
    public string Id { get; } = id;
}

public sealed class ProtocolError(byte[] payload)
{
    public static ProtocolError BadProtocol { get; } = new("E_BAD_PROTOCOL"u8.ToArray());

    public byte[] Payload { get; } = payload;
}

public static class FrameWriter
{
    public static void Write(PipeWriter writer, byte[] payload)
    {
        var span = writer.GetSpan(4 + payload.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span, payload.Length);
        payload.CopyTo(span[4..]);
        writer.Advance(4 + payload.Length);
    }
}
