namespace NsqLookup.Logging;

internal sealed class GoLogLogger(GoLogLoggerProvider provider, string category, LogLevel minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
            return;

        var message = formatter(state, exception);

        // Go errors print as "<context> - <err>"; a .NET exception's message stands in for <err> (no stack trace:
        // the line must stay one line).
        if (exception is not null)
            message = message.Length == 0 ? exception.Message : message + " - " + exception.Message;
        provider.WriteLine(logLevel, category, message);
    }
}
