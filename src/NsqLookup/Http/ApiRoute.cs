namespace NsqLookup.Http;

/// <summary>Every handler the router can dispatch to (nsqlookupd/http.go <c>newHTTPServer</c>).</summary>
internal enum ApiRoute
{
    None,
    Ping,
    Info,
    Debug,
    Lookup,
    Topics,
    Channels,
    Nodes,
    TopicCreate,
    TopicDelete,
    ChannelCreate,
    ChannelDelete,
    TopicTombstone,
    PprofIndex,
    PprofProfile,
    Metrics,
}
