namespace NsqLookup.Logging;

/// <summary><c>--log-format</c> (our addition, not in the original): the original's text lines, or one JSON object per line.</summary>
public enum LogFormat
{
    Text,
    Json,
}

internal static class LogFormats
{
    /// <summary>Parses <c>text</c> or <c>json</c>, case-insensitively like <c>--log-level</c>.</summary>
    public static bool TryParse(string? s, out LogFormat format)
    {
        switch (s?.ToLowerInvariant())
        {
            case "text": format = LogFormat.Text; return true;
            case "json": format = LogFormat.Json; return true;
            default: format = LogFormat.Text; return false;
        }
    }

    /// <summary>The flag error, in the style of <see cref="GoLogLevel.InvalidMessage"/>.</summary>
    public static string InvalidMessage(string s) => $"invalid log format '{s}' (text, json)";
}
