namespace NsqLookup.Http;

/// <summary>What the router decided: a route's <see cref="Row"/>, a redirect to <see cref="Location"/> (path only),
/// an OPTIONS or 405 answer with <see cref="Allow"/>, or 404.</summary>
internal readonly record struct RouteDecision(RouteDecisionKind Kind, RouteRow? Row = null, string? Location = null, string? Allow = null)
{
    public static RouteDecision NotFound { get; } = new(RouteDecisionKind.NotFound);
}
