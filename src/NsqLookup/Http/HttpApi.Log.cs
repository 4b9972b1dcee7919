namespace NsqLookup.Http;

/// <summary>The HTTP API's log lines, worded as the Go original's (docs/protocol.md, "Logs").</summary>
internal sealed partial class HttpApi
{
    /// <summary>The access-log line of an answered request (internal/http_api's <c>Log</c> decorator).</summary>
    private void LogRequest(HttpContext context, int status, string method, string rawTarget, RequestTarget target, long start)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var elapsed = GoDuration.Format(_time.GetElapsedTime(start));

        // Go logs req.URL.RequestURI(): the origin-form target as sent (path and query, never scheme or host).
        var requestUri = rawTarget.StartsWith('/') ? rawTarget : target.Path + (target.HasQuery ? "?" + target.RawQuery : "");
        var connection = context.Connection;
        var remote = connection.RemoteIpAddress is { } ip
            ? GoAddress.Format(new System.Net.IPEndPoint(ip, connection.RemotePort))
            : "";
        LogAccess(status, method, requestUri, remote, elapsed);
    }

    [LoggerMessage(LogLevel.Information, "{Status} {Method} {RequestUri} ({RemoteAddress}) {Elapsed}")]
    private partial void LogAccess(int status, string method, string requestUri, string remoteAddress, string elapsed);

    [LoggerMessage(LogLevel.Error, "panic in HTTP handler - {Panic}")]
    private partial void LogPanic(string panic);

    [LoggerMessage(LogLevel.Information, "DB: adding topic({Topic})")]
    private partial void LogAddingTopic(string topic);

    [LoggerMessage(LogLevel.Information, "DB: adding channel({Channel}) in topic({Topic})")]
    private partial void LogAddingChannel(string channel, string topic);

    [LoggerMessage(LogLevel.Information, "DB: removing channel({Channel}) from topic({Topic})")]
    private partial void LogRemovingChannel(string channel, string topic);

    [LoggerMessage(LogLevel.Information, "DB: removing topic({Topic})")]
    private partial void LogRemovingTopic(string topic);

    [LoggerMessage(LogLevel.Information, "DB: setting tombstone for producer@{Node} of topic({Topic})")]
    private partial void LogSettingTombstone(string node, string topic);

    [LoggerMessage(LogLevel.Warning, "http: URL query contains semicolon, which is no longer a supported separator; parts of the query may be stripped when parsed; see golang.org/issue/25192")]
    private partial void LogQuerySemicolon();
}
