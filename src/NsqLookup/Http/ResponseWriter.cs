using System.Buffers;
using System.Text;

namespace NsqLookup.Http;

/// <summary>
/// The Go original's response shapes (internal/http_api/api_response.go and Go's <c>http.Redirect</c>). Bodies are
/// fully built before the headers go out, so every response carries an exact <c>Content-Length</c>.
/// </summary>
internal static class ResponseWriter
{
    // Go canonicalises X-NSQ-Content-Type to this spelling on the wire (docs/protocol.md, "Response shapes").
    public const string NsqContentTypeHeader = "X-Nsq-Content-Type";
    public const string NsqContentTypeValue = "nsq; version=1.0";
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string TextContentType = "text/plain; charset=utf-8";
    public const string HtmlContentType = "text/html; charset=utf-8";

    private static readonly ReadOnlyMemory<byte> PingBody = "OK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> BadRequestBody = "400 Bad Request"u8.ToArray();

    /// <summary><c>RespondV1</c>: JSON or error with both content-type headers; an empty success has only the
    /// X-Nsq header and no Content-Type.</summary>
    public static Task WriteV1Async(HttpResponse response, ApiResult result)
    {
        response.StatusCode = result.Status;
        response.Headers[NsqContentTypeHeader] = NsqContentTypeValue;
        if (result.IsEmpty)
        {
            response.ContentLength = 0;
            return Task.CompletedTask;
        }

        if (result.Json is { Parts.Count: > 1 } parts)
        {
            return WritePartsAsync(response, parts);
        }

        var body = result.Json is { } json ? json.Parts[0] : ErrorBody(result.Message ?? ApiErrors.InternalError);
        return WriteBodyAsync(response, JsonContentType, body);
    }

    public static Task WritePingAsync(HttpResponse response)
    {
        response.StatusCode = 200;
        return WriteBodyAsync(response, TextContentType, PingBody);
    }

    public static Task WritePprofIndexAsync(HttpResponse response)
    {
        response.StatusCode = 200;
        return WriteBodyAsync(response, HtmlContentType, PprofPage.Html);
    }

    /// <summary>httprouter's OPTIONS answer: 200, Allow, nothing else.</summary>
    public static void WriteOptions(HttpResponse response, string? allow)
    {
        response.StatusCode = 200;
        if (allow is not null)
        {
            response.Headers.Allow = allow;
        }

        response.ContentLength = 0;
    }

    /// <summary>Go's answer to a request URI it cannot parse (a malformed <c>%</c> escape in the path).</summary>
    public static Task WriteBadRequestAsync(HttpResponse response)
    {
        response.StatusCode = 400;
        response.Headers.Connection = "close";
        return WriteBodyAsync(response, TextContentType, BadRequestBody);
    }

    /// <summary>Go's <c>http.Redirect</c>: 301 with a tiny HTML body for GET, 307 with no body otherwise.</summary>
    public static Task WriteRedirectAsync(HttpResponse response, bool isGet, string url)
    {
        response.StatusCode = isGet ? 301 : 307;
        response.Headers.Location = HexEscapeNonAscii(url);
        if (!isGet)
        {
            response.ContentLength = 0;
            return Task.CompletedTask;
        }

        var body = Encoding.UTF8.GetBytes($"<a href=\"{HtmlEscape(url)}\">Moved Permanently</a>.\n\n");
        return WriteBodyAsync(response, HtmlContentType, body);
    }

    public static ReadOnlyMemory<byte> ErrorBody(string message)
    {
        var buffer = new ArrayBufferWriter<byte>(32 + message.Length);
        var json = new GoJsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("message", message);
        json.WriteEndObject();
        return buffer.WrittenMemory;
    }

    private static Task WriteBodyAsync(HttpResponse response, string contentType, ReadOnlyMemory<byte> body)
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>A many-part answer gathered into pooled chunks of up to 64 KiB (never one large-object buffer), each
    /// written and flushed in one call: Kestrel pays per write call, and a slow reader holds the writer back a chunk
    /// at a time rather than the whole answer piling up.</summary>
    private static async Task WritePartsAsync(HttpResponse response, JsonBody body)
    {
        const int chunkSize = 64 * 1024;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(chunkSize, body.Length));
        try
        {
            var filled = 0;
            foreach (var part in body.Parts)
            {
                var rest = part;
                while (!rest.IsEmpty)
                {
                    var n = Math.Min(rest.Length, chunk.Length - filled);
                    rest.Span[..n].CopyTo(chunk.AsSpan(filled));
                    filled += n;
                    rest = rest[n..];
                    if (filled == chunk.Length)
                    {
                        await response.Body.WriteAsync(chunk.AsMemory(0, filled)).ConfigureAwait(false);
                        filled = 0;
                    }
                }
            }

            if (filled > 0)
            {
                await response.Body.WriteAsync(chunk.AsMemory(0, filled)).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Go's <c>htmlReplacer</c>.</summary>
    private static string HtmlEscape(string s) => s
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&#34;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>Go's <c>hexEscapeNonASCII</c>: each byte ≥ 0x80 as <c>%xx</c> (lowercase, as strconv writes it).</summary>
    private static string HexEscapeNonAscii(string s)
    {
        if (Ascii.IsValid(s))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b < 0x80)
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
