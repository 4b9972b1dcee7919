namespace NsqLookup.Http;

/// <summary>
/// What Go's net/http writes itself when it cannot read a request (server.go, <c>conn.serve</c>): a status line,
/// <c>Content-Type: text/plain; charset=utf-8</c>, <c>Connection: close</c>, no Date, no Content-Length, and the
/// status text again as the body; a reason Go names is appended to both (<c>400 Bad Request: &lt;reason&gt;</c>).
/// Kestrel answers the same requests with its own bodiless 400/431; <see cref="For"/> maps the ones whose Go
/// answer is known, and leaves every other rejection as Kestrel wrote it.
/// </summary>
internal static class GoBadRequestAnswers
{
    // Kestrel's own messages (CoreStrings); its rejection reason enum is internal, so the text is what identifies
    // the case. MalformedRequestTests pins each mapping, so a reworded Kestrel message fails a test, not silently.
    private const string MissingHostMessage = "Request is missing Host header";
    private const string InvalidRequestLineMessage = "Invalid request line";
    private const string HeadersTooLongMessage = "Request headers too long";

    /// <summary>An HTTP/1.1 request without <c>Host</c> (Go: <c>badRequestError("missing required Host header")</c>).</summary>
    public static readonly byte[] MissingHost = Answer("400 Bad Request: missing required Host header");

    /// <summary>A request line Go cannot parse: its error is no <c>statusError</c>, so the text is the bare status.</summary>
    public static readonly byte[] BadRequest = Answer("400 Bad Request");

    /// <summary>Request line plus headers over the limit (Go: <c>errTooLarge</c>).</summary>
    public static readonly byte[] HeadersTooLarge = Answer("431 Request Header Fields Too Large");

    /// <summary>Go's bytes for a request Kestrel rejected before any handler ran, or null to keep Kestrel's answer.</summary>
    public static byte[]? For(BadHttpRequestException error) => error.StatusCode switch
    {
        400 when error.Message.StartsWith(MissingHostMessage, StringComparison.Ordinal) => MissingHost,
        400 when error.Message.StartsWith(InvalidRequestLineMessage, StringComparison.Ordinal) => BadRequest,
        431 when error.Message.StartsWith(HeadersTooLongMessage, StringComparison.Ordinal) => HeadersTooLarge,
        _ => null,
    };

    private static byte[] Answer(string status) => System.Text.Encoding.ASCII.GetBytes(
        "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" + status);
}
