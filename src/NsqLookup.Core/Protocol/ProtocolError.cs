using System.Globalization;
using System.Text;

namespace NsqLookup.Protocol;

/// <summary>
/// A protocol error as a value (internal/protocol/errors.go <c>FatalClientErr</c>): the exact payload the client
/// receives, <c>&lt;CODE&gt; &lt;description&gt;</c>. Payloads are bytes because names are echoed raw, invalid UTF-8
/// included (docs/protocol.md, "Commands (client → server)", T126). In nsqlookupd every error is fatal, so there is no
/// non-fatal flavour.
/// </summary>
internal sealed class ProtocolError
{
    private ProtocolError(byte[] payload, string? detail = null)
    {
        Payload = payload;
        Detail = detail;
        var space = Array.IndexOf(payload, (byte)' ');
        Code = Encoding.ASCII.GetString(payload, 0, space < 0 ? payload.Length : space);
    }

    /// <summary>The exact frame payload.</summary>
    public byte[] Payload { get; }

    /// <summary>The error code, the payload's first word (<c>E_INVALID</c>, <c>E_BAD_BODY</c>, …): one of a fixed
    /// few, since every payload starts with a constant.</summary>
    public string Code { get; }

    /// <summary>The underlying cause (the Go original's parent error), only for the log line; never sent.</summary>
    public string? Detail { get; }

    public static ProtocolError BadProtocol { get; } = new("E_BAD_PROTOCOL"u8.ToArray());

    public static ProtocolError CannotIdentifyAgain { get; } = new("E_INVALID cannot IDENTIFY again"u8.ToArray());

    public static ProtocolError MissingFields { get; } = new("E_BAD_BODY IDENTIFY missing fields"u8.ToArray());

    public static ProtocolError MustIdentify { get; } = new("E_INVALID client must IDENTIFY"u8.ToArray());

    /// <summary>Ours (docs/protocol.md, "Deliberate differences" item 2): the Go original reads lines of any
    /// length.</summary>
    public static ProtocolError CommandLineTooLong { get; } = new("E_INVALID command line too long"u8.ToArray());

    public static ProtocolError InvalidCommand(ReadOnlySpan<byte> name) => new(Concat("E_INVALID invalid command "u8, name));

    public static ProtocolError FailedToReadBodySize(string? detail = null) =>
        new("E_BAD_BODY IDENTIFY failed to read body size"u8.ToArray(), detail);

    public static ProtocolError FailedToReadBody(string? detail = null) =>
        new("E_BAD_BODY IDENTIFY failed to read body"u8.ToArray(), detail);

    public static ProtocolError FailedToDecodeBody(string? detail = null) =>
        new("E_BAD_BODY IDENTIFY failed to decode JSON body"u8.ToArray(), detail);

    /// <summary>Ours (docs/protocol.md, "Deliberate differences" item 1): the Go original panics on a negative
    /// size.</summary>
    public static ProtocolError InvalidBodySize(int size) =>
        new(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"E_BAD_BODY IDENTIFY invalid body size {size}")));

    /// <summary>Ours (docs/protocol.md, "Deliberate differences" item 1): same wording as nsqd's V2 IDENTIFY.</summary>
    public static ProtocolError BodyTooBig(int size, int max) =>
        new(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"E_BAD_BODY IDENTIFY body too big {size} > {max}")));

    /// <summary><c>E_INVALID REGISTER insufficient number of params</c> (or UNREGISTER).</summary>
    public static ProtocolError InsufficientParams(string command) =>
        new(Encoding.ASCII.GetBytes($"E_INVALID {command} insufficient number of params"));

    /// <summary><c>E_BAD_TOPIC REGISTER topic name '&lt;t&gt;' is not valid</c>, the name echoed byte for byte.</summary>
    public static ProtocolError BadTopic(string command, ReadOnlySpan<byte> topic) =>
        new(Concat(Encoding.ASCII.GetBytes($"E_BAD_TOPIC {command} topic name '"), topic, "' is not valid"u8));

    /// <summary><c>E_BAD_CHANNEL REGISTER channel name '&lt;c&gt;' is not valid</c>, the name echoed byte for byte.</summary>
    public static ProtocolError BadChannel(string command, ReadOnlySpan<byte> channel) =>
        new(Concat(Encoding.ASCII.GetBytes($"E_BAD_CHANNEL {command} channel name '"), channel, "' is not valid"u8));

    /// <summary>The payload as text for logs; invalid UTF-8 shows as U+FFFD there (never on the wire).</summary>
    public override string ToString() => Encoding.UTF8.GetString(Payload);

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c = default)
    {
        var result = new byte[a.Length + b.Length + c.Length];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(a.Length));
        c.CopyTo(result.AsSpan(a.Length + b.Length));
        return result;
    }
}
