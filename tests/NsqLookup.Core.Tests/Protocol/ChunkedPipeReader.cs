using System.Buffers;
using System.IO.Pipelines;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>
/// A <see cref="PipeReader"/> that hands out a fixed input one chunk at a time, and only when the consumer has
/// examined everything it holds (like a socket that delivers one segment per read). Records the most unconsumed
/// bytes it ever held, i.e. the memory a connection needs for that input and segmentation.
/// </summary>
internal sealed class ChunkedPipeReader(IReadOnlyList<byte[]> chunks) : PipeReader
{
    private readonly List<byte[]> _delivered = [];
    private long _consumed;   // absolute offset of the first unconsumed byte
    private long _examined;   // absolute offset up to which the consumer has looked
    private long _available;  // absolute offset of the end of the delivered bytes
    private int _next;
    private bool _cancelPending;
    private ReadOnlySequence<byte> _last;

    /// <summary>The largest number of delivered-but-unconsumed bytes at any read.</summary>
    public long PeakUnconsumed { get; private set; }

    /// <summary>The largest <c>minimumSize</c> anyone passed to <see cref="PipeReader.ReadAtLeastAsync"/>: a
    /// stream-backed pipe allocates that much at once, before any byte arrives.</summary>
    public int LargestReadAtLeast { get; private set; }

    public int LargestChunk { get; } = chunks.Count == 0 ? 0 : chunks.Max(c => c.Length);

    public override bool TryRead(out ReadResult result)
    {
        result = Read();
        return true;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(Read());
    }

    protected override ValueTask<ReadResult> ReadAtLeastAsyncCore(int minimumSize, CancellationToken cancellationToken)
    {
        LargestReadAtLeast = Math.Max(LargestReadAtLeast, minimumSize);
        return base.ReadAtLeastAsyncCore(minimumSize, cancellationToken);
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var start = _consumed;
        _consumed = start + _last.Slice(0, consumed).Length;
        _examined = Math.Max(_consumed, start + _last.Slice(0, examined).Length);
    }

    public override void CancelPendingRead() => _cancelPending = true;

    public override void Complete(Exception? exception = null)
    {
    }

    private ReadResult Read()
    {
        if (_cancelPending)
        {
            _cancelPending = false;
            return new ReadResult(Current(), isCanceled: true, isCompleted: false);
        }

        // Deliver a new chunk only once everything held has been looked at, as a pipe over a socket would.
        while (_examined >= _available && _next < chunks.Count)
        {
            var chunk = chunks[_next++];
            if (chunk.Length > 0)
            {
                _delivered.Add(chunk);
                _available += chunk.Length;
            }
        }

        _last = Current();
        PeakUnconsumed = Math.Max(PeakUnconsumed, _last.Length);
        return new ReadResult(_last, isCanceled: false, isCompleted: _next >= chunks.Count);
    }

    private ReadOnlySequence<byte> Current()
    {
        // Rebuild the unconsumed window from the delivered chunks, keeping their boundaries as segments.
        var parts = new List<byte[]>();
        long offset = 0;
        foreach (var chunk in _delivered)
        {
            var end = offset + chunk.Length;
            if (end > _consumed)
            {
                var from = (int)Math.Max(0, _consumed - offset);
                parts.Add(from == 0 ? chunk : chunk[from..]);
            }

            offset = end;
        }

        return SequenceSplitter.Create(parts);
    }
}
