namespace NsqLookup.Logging;

/// <summary>
/// Writes every log line in nsqlookupd's format (<see cref="GoLog"/>), or as JSON with <c>--log-format=json</c>
/// (<see cref="JsonLogLine"/>), through the <see cref="LogSink"/> (stderr, written by its own thread).
/// Our own categories (<c>NsqLookup*</c>) follow <c>--log-level</c>; framework categories only show warnings and
/// above (and never below <c>--log-level</c>), like the Go HTTP server's own messages; the Generic Host's
/// lifetime chatter ("Application started. Press Ctrl+C…") is never shown.
/// </summary>
[ProviderAlias("GoLog")]
internal sealed class GoLogLoggerProvider(string prefix, LogLevel level, LogSink sink, TimeProvider time, LogFormat format = LogFormat.Text)
    : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new GoLogLogger(this, categoryName, MinimumFor(categoryName));

    internal LogLevel MinimumFor(string category)
    {
        if (category.StartsWith("NsqLookup", StringComparison.Ordinal))
            return level;
        // The host's own status lines ("Application started", "Hosting failed to start - …") would repeat what
        // Program already reports in the original's words (the FATAL listen line), so they are never shown.
        if (category is "Microsoft.Hosting.Lifetime" || category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal))
            return LogLevel.None;
        return level > LogLevel.Warning ? level : LogLevel.Warning;
    }

    internal void WriteLine(LogLevel logLevel, string category, string message) =>
        sink.Write(GoLog.FormatLine(format, prefix, time.GetLocalNow(), logLevel, category, message));

    public void Dispose()
    {
    }
}
