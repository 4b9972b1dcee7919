namespace NsqLookup.Http;

/// <summary>
/// <c>GET /debug/pprof</c> (docs/protocol.md, "Routing"): Go's profiler cannot exist in .NET, so instead of the pprof
/// index this static page tells operators which .NET tools give the same insight. The profile paths stay routed (so
/// 405, Allow, OPTIONS and redirects match the Go original) but answer 404.
/// </summary>
internal static class PprofPage
{
    public static ReadOnlyMemory<byte> Html { get; } = """
        <html>
        <head>
        <title>/debug/pprof/</title>
        </head>
        <body>
        <p>This nsqlookupd runs on .NET; Go's pprof profiles are not available.</p>
        <p>Use the .NET diagnostic tools against this process instead:</p>
        <ul>
        <li><code>dotnet-counters monitor -p &lt;pid&gt;</code> &mdash; live runtime counters (CPU, GC, thread pool)</li>
        <li><code>dotnet-trace collect -p &lt;pid&gt;</code> &mdash; CPU sampling and event traces (EventPipe)</li>
        <li><code>dotnet-dump collect -p &lt;pid&gt;</code> &mdash; heap and thread dumps</li>
        <li><code>dotnet-gcdump collect -p &lt;pid&gt;</code> &mdash; heap object graph</li>
        </ul>
        </body>
        </html>
        """u8.ToArray();
}
