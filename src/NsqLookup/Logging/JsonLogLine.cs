using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NsqLookup.Logging;

/// <summary>
/// <c>--log-format=json</c> (our addition): one JSON object per line, e.g.
/// <c>{"timestamp":"2026-11-25T10:41:10.774367+01:00","level":"INFO","category":"NsqLookup.Tcp.TcpServer","message":"TCP: listening on [::]:4160"}</c>.
/// The level words and message texts are those of the text format (<see cref="GoLog"/>); the prefix does not apply.
/// Not the console logger's JSON formatter: that one names levels the .NET way.
/// </summary>
internal static class JsonLogLine
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(DateTimeOffset localTime, LogLevel level, string? category, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", localTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffffzzz", CultureInfo.InvariantCulture));
            json.WriteString("level", GoLogLevel.Name(level));
            if (category is not null)
                json.WriteString("category", category);

            // Raw text: JSON escaping already keeps control characters from splitting the line (docs/protocol.md, "Deliberate differences" item 9).
            json.WriteString("message", message);
            json.WriteEndObject();
        }

        return string.Concat(Encoding.UTF8.GetString(buffer.WrittenSpan), "\n");
    }
}
