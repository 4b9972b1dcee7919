using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using NsqLookup.Protocol;

namespace NsqLookup.Benchmarks;

/// <summary>
/// The command reader on what nsqd sends most: REGISTER lines, read from one buffer (the common case: the whole
/// command arrived in one segment) and from one-byte segments (the worst split a no-delay peer can produce).
/// Each operation is one line: find the LF, then trim and tokenize it.
/// </summary>
[MemoryDiagnoser]
public class CommandReaderBenchmarks
{
    private const int Lines = 1000;
    private static readonly int MaxLine = new LookupProtocolLimits().MaxCommandLineLength;

    private readonly byte[] _scratch = new byte[MaxLine]; // like the protocol's reusable line buffer
    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _fragmented;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Lines; i++)
        {
            text.Append(i % 6 == 0 ? $"REGISTER bench-t{i:D5}\n" : $"REGISTER bench-t{i:D5} c{i % 6}\n");
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        _contiguous = new ReadOnlySequence<byte>(bytes);
        _fragmented = Segments.OneBytePerSegment(bytes);
    }

    [Benchmark(OperationsPerInvoke = Lines, Baseline = true)]
    public int RegisterLine_OneSegment() => ReadAll(_contiguous);

    [Benchmark(OperationsPerInvoke = Lines)]
    public int RegisterLine_OneBytePerSegment() => ReadAll(_fragmented);

    [Benchmark]
    public int Tokenize_Register()
    {
        Span<Range> tokens = stackalloc Range[4];
        return LookupCommandReader.Tokenize("REGISTER bench-t00042 c3"u8, tokens);
    }

    private int ReadAll(ReadOnlySequence<byte> buffer)
    {
        Span<Range> tokens = stackalloc Range[4];
        var count = 0;
        while (LookupCommandReader.TryReadLine(ref buffer, MaxLine, out var line) == LineStatus.Complete)
        {
            ReadOnlySpan<byte> span;
            if (line.IsSingleSegment)
            {
                span = line.FirstSpan;
            }
            else
            {
                line.CopyTo(_scratch);
                span = _scratch.AsSpan(0, (int)line.Length);
            }

            count += LookupCommandReader.Tokenize(span, tokens);
        }

        return count;
    }
}
