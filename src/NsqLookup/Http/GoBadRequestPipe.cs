using System.Buffers;
using System.IO.Pipelines;

namespace NsqLookup.Http;

/// <summary>
/// The HTTP connection's transport as Kestrel sees it: the socket's own reader, and a writer that passes every call
/// straight through (no copy, no allocation) until <see cref="Replace"/> is called for a rejected request. From then
/// on Kestrel's bad-request answer is swallowed and Go's bytes go out instead at its flush; Kestrel closes the
/// connection right after such an answer, so nothing else is lost.
/// </summary>
internal sealed class GoBadRequestPipe(IDuplexPipe transport) : PipeWriter, IDuplexPipe
{
    private readonly PipeWriter _inner = transport.Output;
    private byte[]? _answer;
    private byte[]? _discard;
    private bool _answered;

    public PipeReader Input { get; } = transport.Input;

    public PipeWriter Output => this;

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    /// <summary>Called (on the connection's own flow) after Kestrel rejected a request and before it answers.</summary>
    public void Replace(byte[] answer) => _answer ??= answer;

    public override void Advance(int bytes)
    {
        if (_answer is null)
        {
            _inner.Advance(bytes);
        }
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _answer is null ? _inner.GetMemory(sizeHint) : Discard(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _answer is null ? _inner.GetSpan(sizeHint) : Discard(sizeHint).Span;

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        _answer is null ? _inner.WriteAsync(source, cancellationToken) : FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        WriteAnswer();
        return _inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        WriteAnswer();
        _inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        WriteAnswer();
        return _inner.CompleteAsync(exception);
    }

    private void WriteAnswer()
    {
        if (_answer is not null && !_answered)
        {
            _answered = true;
            _inner.Write(_answer);
        }
    }

    /// <summary>Where Kestrel's own answer is written and forgotten (only ever on a rejected request).</summary>
    private Memory<byte> Discard(int sizeHint)
    {
        if (_discard is null || _discard.Length < sizeHint)
        {
            _discard = new byte[Math.Max(sizeHint, 4096)];
        }

        return _discard;
    }
}
