using System.Buffers;
using System.Text;
using NsqLookup.Protocol;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>
/// Drives <see cref="LookupCommandReader.TryRead"/> as the protocol loop does, chunk by chunk: what a read consumed
/// is released, the rest is kept for the next chunk; after the last chunk the input is marked ended. Each command
/// or error is recorded as text (the line and body are only valid until the buffer moves on).
/// </summary>
internal static class WholeCommandReader
{
    public static List<string> Read(IReadOnlyList<byte[]> chunks, LookupProtocolLimits limits, bool identified = false) =>
        Read(chunks, limits, identified, out _);

    /// <param name="peakHeld">The most bytes the caller ever had to keep unconsumed.</param>
    public static List<string> Read(IReadOnlyList<byte[]> chunks, LookupProtocolLimits limits, bool identified, out long peakHeld)
    {
        var reader = new LookupCommandReader(limits);
        var results = new List<string>();
        var held = Array.Empty<byte>();
        peakHeld = 0;
        for (var i = 0; i <= chunks.Count; i++)
        {
            var ended = i == chunks.Count;
            var pending = ended ? [held] : new List<byte[]> { held, chunks[i] };
            var buffer = SequenceSplitter.Create(pending.Where(p => p.Length > 0).ToList());
            while (true)
            {
                var before = buffer.Length;
                var status = reader.TryRead(ref buffer, ended, identified, out var command, out var error);
                if (status == ReadStatus.Incomplete)
                {
                    break;
                }

                results.Add(status == ReadStatus.Command ? Describe(command) : Describe(command.Verb, error!));
                if (status == ReadStatus.Error)
                {
                    return results; // every error is fatal: the connection ends here
                }

                (before - buffer.Length).Should().BeGreaterThan(0, "a command consumes its bytes");
            }

            held = buffer.ToArray();
            peakHeld = Math.Max(peakHeld, held.Length);
        }

        results.Add(held.Length == 0 ? "END" : "END:partial");
        return results;
    }

    public static string Describe(in LookupCommand command) => command.Verb switch
    {
        LookupVerb.Identify => "IDENTIFY:" + Convert.ToHexString(command.Body.ToArray()),
        LookupVerb.Unknown => "UNKNOWN:" + Convert.ToHexString(command.Name),
        _ => $"{command.Verb.ToString().ToUpperInvariant()}:{command.TokenCount}:{Hex(command.First)}:{Hex(command.Second)}",
    };

    public static string Describe(LookupVerb verb, ProtocolError error) =>
        $"ERR:{verb}:{Encoding.Latin1.GetString(error.Payload)}" + (error.Detail is { } d ? " - " + d : "");

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
