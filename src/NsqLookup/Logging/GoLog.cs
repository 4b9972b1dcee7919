using System.Globalization;
using System.Text;

namespace NsqLookup.Logging;

/// <summary>
/// The line format of Go's <c>log.New(os.Stderr, prefix, Ldate|Ltime|Lmicroseconds)</c> plus internal/lg's
/// <c>LEVEL: </c>: <c>[nsqlookupd] 2026/11/25 10:41:10.774367 INFO: message</c>, local time.
/// </summary>
internal static class GoLog
{
    /// <summary>The prefix of the FATAL lines written before options are resolved; <c>--log-prefix</c> does not apply.</summary>
    public const string FixedPrefix = "[nsqlookupd] ";

    // One lock for the writers before the daemon's LogSink exists (flag and config errors): whole lines never interleave.
    private static readonly Lock WriteLock = new();

    public static string FormatLine(string prefix, DateTimeOffset localTime, LogLevel level, string message) =>
        string.Concat(
            prefix,
            localTime.ToString("yyyy'/'MM'/'dd HH':'mm':'ss'.'ffffff ", CultureInfo.InvariantCulture),
            GoLogLevel.Name(level),
            ": ",
            Escape(message),
            "\n");

    /// <summary>One whole line in <paramref name="format"/>: the text format with <paramref name="prefix"/>, or a JSON
    /// object naming <paramref name="category"/>.</summary>
    public static string FormatLine(LogFormat format, string prefix, DateTimeOffset localTime, LogLevel level, string category, string message) =>
        format == LogFormat.Json
            ? JsonLogLine.Format(localTime, level, category, message)
            : FormatLine(prefix, localTime, level, message);

    /// <summary>The line a <see cref="LogSink"/> writes once its output takes lines again after it dropped some.</summary>
    public static Func<long, string> DropNotice(LogFormat format, string prefix, TimeProvider time) =>
        dropped => FormatLine(
            format,
            prefix,
            time.GetLocalNow(),
            LogLevel.Warning,
            "NsqLookup.Logging",
            string.Create(CultureInfo.InvariantCulture, $"LOG: {dropped} lines dropped, the log output was blocked"));

    /// <summary>Writes one formatted line and flushes.</summary>
    public static void WriteLine(TextWriter output, string prefix, LogLevel level, string message, TimeProvider? time = null) =>
        Write(output, FormatLine(prefix, (time ?? TimeProvider.System).GetLocalNow(), level, message));

    /// <summary><c>[nsqlookupd] &lt;ts&gt; FATAL: &lt;message&gt;</c>, for failures before the host exists (config load etc.).</summary>
    public static void Fatal(TextWriter output, string message, TimeProvider? time = null) =>
        WriteLine(output, FixedPrefix, LogLevel.Critical, message, time);

    /// <summary>
    /// A line from Go's default logger (no prefix, no microseconds), as go-options prints coercion failures:
    /// <c>2026/11/25 10:42:51 ERROR: Resolve failed to coerce value …</c>. The message carries its own level word.
    /// </summary>
    public static void WriteStandardLoggerLine(TextWriter output, string message, TimeProvider? time = null) =>
        Write(output, string.Concat(
            (time ?? TimeProvider.System).GetLocalNow().ToString("yyyy'/'MM'/'dd HH':'mm':'ss ", CultureInfo.InvariantCulture),
            Escape(message),
            "\n"));

    internal static void Write(TextWriter output, string line)
    {
        lock (WriteLock)
        {
            output.Write(line);
            output.Flush();
        }
    }

    /// <summary>
    /// Deviation, safer (docs/protocol.md, "Deliberate differences" item 9): control characters are written as Go-style escapes (<c>\n</c>,
    /// <c>\x1b</c>, <c>\u0085</c>) so a peer-supplied string cannot forge or split log lines. Backslashes are
    /// left alone so ordinary messages stay byte-identical to the original's.
    /// </summary>
    public static string Escape(string message)
    {
        var i = 0;
        while (i < message.Length && !NeedsEscape(message[i]))
            i++;
        if (i == message.Length)
            return message;

        var b = new StringBuilder(message.Length + 16).Append(message, 0, i);
        for (; i < message.Length; i++)
        {
            var c = message[i];
            if (!NeedsEscape(c))
            {
                b.Append(c);
                continue;
            }

            b.Append(c switch
            {
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                < ' ' or '\x7f' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }

        return b.ToString();
    }

    // C0, DEL, C1, and the Unicode line/paragraph separators.
    private static bool NeedsEscape(char c) => c < ' ' || (c >= '\x7f' && c <= '\x9f') || c is '\u2028' or '\u2029';
}
