namespace NsqLookup.Http;

/// <summary>
/// Who may call a route. <see cref="Read"/> stays open: nsqd's <c>/channels</c> fetch and nsqadmin's reads carry no
/// credentials. <see cref="Admin"/> (changes the directory) and <see cref="Debug"/> (internals and the pprof
/// surface) pass <c>--http-admin-allow</c> / <c>--http-admin-token-file</c> first; with neither set, everyone may,
/// as in the Go original.
/// </summary>
internal enum RouteAccess
{
    Read,
    Admin,
    Debug,
}
