namespace NsqLookup.Http;

/// <summary>
/// One row of <see cref="HttpApi.Routes"/>, the counterpart of one <c>router.Handle(method, path, ...)</c> line in
/// nsqlookupd/http.go: everything the router, the admin check, the writer and the access log need to know.
/// </summary>
/// <param name="Method">One HTTP method; a path served under two methods has two rows.</param>
/// <param name="Path">The exact, clean path.</param>
/// <param name="Handler">Null exactly for the kinds that write their own answer (<see cref="ResponseKind.PprofIndex"/>,
/// <see cref="ResponseKind.Metrics"/>).</param>
/// <param name="Response">How the answer is written.</param>
/// <param name="Access">Who may call it.</param>
/// <param name="AccessLogged">Whether an answered request writes the access-log line (refusals always do).</param>
internal sealed record RouteRow(
    string Method,
    string Path,
    RouteHandler? Handler,
    ResponseKind Response,
    RouteAccess Access,
    bool AccessLogged);
