namespace NsqLookup.Http;

internal enum RouteDecisionKind
{
    Handle,
    Redirect,
    Options,
    MethodNotAllowed,
    NotFound,
}
