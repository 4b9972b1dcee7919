using System.Buffers;
using System.IO.Pipelines;

namespace NsqLookup.Protocol;

/// <summary>
/// The 4 bytes that open every TCP connection (nsqlookupd/tcp.go <c>Handle</c>): <c>"  V1"</c> selects
/// <see cref="LookupProtocolV1"/>; anything else is answered with <see cref="ProtocolError.BadProtocol"/>.
/// </summary>
internal static class ProtocolMagic
{
    public const int Length = 4;

    public static ReadOnlySpan<byte> V1 => "  V1"u8;

    /// <summary>
    /// Reads exactly 4 bytes and consumes only those (bytes after them belong to the first command). Returns null
    /// when the stream ends first; <paramref name="partial"/> then says whether some bytes had arrived, i.e. whether
    /// Go would have said <c>unexpected EOF</c> rather than <c>EOF</c>.
    /// </summary>
    public static async ValueTask<(byte[]? Magic, bool Partial)> ReadAsync(PipeReader input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await input.ReadAtLeastAsync(Length, cancellationToken).ConfigureAwait(false);
        var buffer = result.Buffer;
        if (buffer.Length < Length)
        {
            input.AdvanceTo(buffer.End);
            return (null, buffer.Length > 0);
        }

        var magic = buffer.Slice(0, Length).ToArray();
        input.AdvanceTo(buffer.GetPosition(Length));
        return (magic, false);
    }

    public static bool IsV1(ReadOnlySpan<byte> magic) => magic.SequenceEqual(V1);
}
