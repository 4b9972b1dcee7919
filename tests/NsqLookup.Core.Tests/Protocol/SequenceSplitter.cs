using System.Buffers;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>Builds multi-segment sequences so parsers are exercised across every possible segment boundary.</summary>
internal static class SequenceSplitter
{
    public static ReadOnlySequence<byte> Create(IReadOnlyList<byte[]> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every split of <paramref name="data"/> into two non-empty parts, the whole, and one byte per segment.</summary>
    public static IEnumerable<byte[][]> AllSplits(byte[] data)
    {
        yield return [data];
        for (var i = 1; i < data.Length; i++)
        {
            yield return [data[..i], data[i..]];
        }

        yield return data.Select(b => new[] { b }).ToArray();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
