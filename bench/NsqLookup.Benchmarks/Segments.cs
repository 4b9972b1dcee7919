using System.Buffers;

namespace NsqLookup.Benchmarks;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> whose segments each hold one byte.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes)
    {
        var first = new Segments(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            var next = new Segments(bytes.AsMemory(i, 1), i);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }
}
