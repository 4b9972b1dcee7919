using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>Routes daemon logs to the xunit output and keeps them (as <c>LEVEL: message</c>) for assertions.
/// Lines <paramref name="keep"/> rejects are only counted (a long soak would otherwise hold millions).</summary>
public sealed class CapturingLoggerProvider(ITestOutputHelper? output, Func<string, bool>? keep = null) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private long _count;

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Every line logged, kept or not.</summary>
    public long Count => Interlocked.Read(ref _count);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string message)
    {
        Interlocked.Increment(ref _count);
        var text = $"{Level(level)}: {message}";
        if (keep is not null && !keep(text))
        {
            return;
        }

        _lines.Enqueue(text);
        try
        {
            output?.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // the test already finished
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Write(logLevel, formatter(state, exception));
    }
}
