namespace NsqLookup.Http;

/// <summary>The error texts of the Go original's HTTP API (docs/protocol.md, "Response shapes").</summary>
internal static class ApiErrors
{
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string MissingArgTopic = "MISSING_ARG_TOPIC";
    public const string InvalidArgTopic = "INVALID_ARG_TOPIC";
    public const string MissingArgChannel = "MISSING_ARG_CHANNEL";
    public const string InvalidArgChannel = "INVALID_ARG_CHANNEL";
    public const string MissingArgNode = "MISSING_ARG_NODE";
    public const string TopicNotFound = "TOPIC_NOT_FOUND";
    public const string ChannelNotFound = "CHANNEL_NOT_FOUND";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    /// <summary>Not the Go original's (it has no access control): an admin route refused by the admin access
    /// policy.</summary>
    public const string Forbidden = "FORBIDDEN";
    public const string InternalError = "INTERNAL_ERROR";
}
