using System.Buffers;

namespace NsqLookup.Protocol;

/// <summary>
/// One whole command from <see cref="LookupCommandReader.TryRead"/>: the verb, its parameters (the Go original's
/// <c>params</c> after <c>strings.Split</c>) and, for IDENTIFY, the body. The line lives in the reader's scratch
/// buffer and the body in the caller's input buffer: both are valid until the next read or the next
/// <c>AdvanceTo</c>, so a command is executed before either.
/// </summary>
internal readonly struct LookupCommand
{
    /// <summary>How many leading tokens are kept: the name, a topic and a channel (more are counted, not kept).</summary>
    public const int KeptTokens = 3;

    private readonly ReadOnlyMemory<byte> _line;
    private readonly Range _name;
    private readonly Range _first;
    private readonly Range _second;

    public LookupCommand(LookupVerb verb, ReadOnlyMemory<byte> line, ReadOnlySpan<Range> tokens, int tokenCount, ReadOnlySequence<byte> body)
    {
        Verb = verb;
        _line = line;
        _name = tokenCount > 0 ? tokens[0] : default;
        _first = tokenCount > 1 ? tokens[1] : default;
        _second = tokenCount > 2 ? tokens[2] : default;
        TokenCount = tokenCount;
        Body = body;
    }

    private LookupCommand(LookupCommand header, ReadOnlySequence<byte> body)
    {
        this = header;
        Body = body;
    }

    public LookupVerb Verb { get; }

    /// <summary>All tokens of the line, the name included (at least 1 for any line; 0 for an IDENTIFY whose line
    /// was consumed before its body arrived).</summary>
    public int TokenCount { get; }

    /// <summary>The first token, raw (echoed byte for byte by <c>E_INVALID invalid command</c>).</summary>
    public ReadOnlySpan<byte> Name => _line.Span[_name];

    /// <summary>The first parameter (the topic); empty when absent.</summary>
    public ReadOnlySpan<byte> First => TokenCount > 1 ? _line.Span[_first] : default;

    /// <summary>The second parameter (the channel); empty when absent.</summary>
    public ReadOnlySpan<byte> Second => TokenCount > 2 ? _line.Span[_second] : default;

    /// <summary>IDENTIFY's body; empty for every other command and for a second IDENTIFY, whose body is never read.</summary>
    public ReadOnlySequence<byte> Body { get; }

    /// <summary>The same command with IDENTIFY's body attached.</summary>
    public LookupCommand WithBody(ReadOnlySequence<byte> body) => new(this, body);
}
