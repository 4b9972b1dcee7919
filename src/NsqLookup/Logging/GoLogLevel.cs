namespace NsqLookup.Logging;

/// <summary>nsqlookupd's level names (internal/lg): parsed case-insensitively, printed upper-case.</summary>
internal static class GoLogLevel
{
    /// <summary>Go's <c>lg.ParseLogLevel</c>: debug, info, warn, error, fatal. <c>warning</c> is not a level name.</summary>
    public static bool TryParse(string? s, out LogLevel level)
    {
        switch (s?.ToLowerInvariant())
        {
            case "debug": level = LogLevel.Debug; return true;
            case "info": level = LogLevel.Information; return true;
            case "warn": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            case "fatal": level = LogLevel.Critical; return true;
            default: level = LogLevel.None; return false;
        }
    }

    /// <summary>The error <c>lg.ParseLogLevel</c> returns, e.g. for flag messages.</summary>
    public static string InvalidMessage(string s) => $"invalid log level '{s}' (debug, info, warn, error, fatal)";

    /// <summary>The word printed in a log line (and the flag's usage default): WARNING, not WARN; Critical is FATAL.</summary>
    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };
}
