using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NsqLookup.Protocol;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>Captures log lines as <c>LEVEL: message</c>, the Go original's wording after the timestamp.</summary>
internal sealed class TestLogger : ILogger<LookupProtocolV1>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var level = logLevel switch
        {
            LogLevel.Information => "INFO",
            LogLevel.Warning => "WARNING",
            LogLevel.Error => "ERROR",
            _ => logLevel.ToString().ToUpperInvariant(),
        };
        _lines.Enqueue($"{level}: {formatter(state, exception)}");
    }
}
