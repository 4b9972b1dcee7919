using NsqLookup.Http;

namespace NsqLookup.Security;

/// <summary>
/// The admin access class: routes that change the directory and the debug routes. Everything else (<c>/ping</c>,
/// <c>/info</c>, <c>/lookup</c>, <c>/topics</c>, <c>/channels</c>, <c>/nodes</c>, <c>/metrics</c>) stays open,
/// because nsqd's <c>/channels</c> fetch and nsqadmin's reads carry no credentials.
/// </summary>
internal static class AdminRoutes
{
    public static bool IsAdmin(ApiRoute route) => route is ApiRoute.TopicCreate or ApiRoute.TopicDelete
        or ApiRoute.ChannelCreate or ApiRoute.ChannelDelete or ApiRoute.TopicTombstone
        or ApiRoute.Debug or ApiRoute.PprofIndex or ApiRoute.PprofProfile;
}
