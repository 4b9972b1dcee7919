namespace NsqLookup;

/// <summary>
/// Every daemon setting (nsqlookupd/options.go), after command line, config file and defaults are merged.
/// </summary>
public sealed record NsqLookupOptions
{
    public string TcpAddress { get; init; } = "0.0.0.0:4160";

    /// <summary>Compact the heap once, a second after the start (<see cref="Memory.QuietTrimPolicy.TrimAfterStart"/>).
    /// Set by <c>Program</c> for the daemon's own process; off for hosts that share a process (the tests').</summary>
    internal bool TrimAfterStart { get; init; }

    public string HttpAddress { get; init; } = "0.0.0.0:4161";

    /// <summary>Defaults to the OS hostname (<c>Dns.GetHostName()</c>, the full kernel name like Go's).</summary>
    public string BroadcastAddress { get; init; } = DefaultHostname;

    public TimeSpan InactiveProducerTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan TombstoneLifetime { get; init; } = TimeSpan.FromSeconds(45);

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public string LogPrefix { get; init; } = "[nsqlookupd] ";

    /// <summary><c>--log-format</c> (our addition): <see cref="Logging.LogFormat.Text"/> is the original's format.</summary>
    public Logging.LogFormat LogFormat { get; init; } = Logging.LogFormat.Text;

    /// <summary><c>--quiet-pings</c> (our addition): log each PING at DEBUG instead of INFO (docs/protocol.md,
    /// "Deliberate differences" item 8).</summary>
    public bool QuietPings { get; init; }

    /// <summary>Largest IDENTIFY body accepted (docs/protocol.md, "Deliberate differences" item 1).</summary>
    public int MaxIdentifyBodySize { get; init; } = 64 * 1024;

    /// <summary>Longest command line accepted, LF included
    /// (docs/protocol.md, "Deliberate differences" item 2).</summary>
    public int MaxCommandLineLength { get; init; } = 4096;

    /// <summary>Opt-in: delete topic/channel keys left with no producer for this long; zero (default) keeps
    /// them forever, as the original does.</summary>
    public TimeSpan PruneEmptyKeysAfter { get; init; }

    /// <summary><c>--data-path</c> (our addition, off by default): the directory where HTTP admin actions are kept
    /// across restarts (docs/persistence.md); null keeps nothing, as the original.</summary>
    public string? DataPath { get; init; }

    /// <summary>On SIGTERM/SIGINT: how long in-flight HTTP requests and closing TCP clients are waited for.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new TCP connection may take to send the 4-byte magic; zero disables
    /// (docs/protocol.md, "Deliberate differences" item 3). Must stay above 5 s (statement T4 there).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open TCP connections beyond which new ones are closed at once; zero disables.</summary>
    public int MaxTcpConnections { get; init; } = 10_000;

    /// <summary>Open HTTP and HTTPS connections (together) beyond which new ones are reset at once; zero disables.</summary>
    public int HttpMaxConnections { get; init; } = 10_000;

    /// <summary>Kestrel's request-line and header-block limits (Go's <c>DefaultMaxHeaderBytes</c>; docs/protocol.md,
    /// "HTTP (port 4161)").</summary>
    public int HttpMaxHeaderSize { get; init; } = 1024 * 1024;

    /// <summary>Largest HTTP request body (ignored anyway); larger gets 413
    /// (docs/protocol.md, "Deliberate differences" item 2).</summary>
    public long HttpMaxBodySize { get; init; } = 1024 * 1024;

    /// <summary>Kestrel's <c>RequestHeadersTimeout</c> against slowloris
    /// (docs/protocol.md, "Deliberate differences" item 3).</summary>
    public TimeSpan HttpHeaderTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--tcp-allow</c> (our addition): CIDR entries (each value may be comma-separated) a TCP peer must
    /// be in to be served; empty (default) serves everyone, as the original does.</summary>
    public IReadOnlyList<string> TcpAllow { get; init; } = [];

    /// <summary><c>--http-admin-allow</c>: CIDR entries whose requests may use the admin routes without a token.</summary>
    public IReadOnlyList<string> HttpAdminAllow { get; init; } = [];

    /// <summary><c>--http-admin-token-file</c>: a file holding the secret that opens the admin routes as
    /// <c>Authorization: Bearer &lt;secret&gt;</c>; empty for none. With neither admin option set, the admin
    /// routes are open, as in the original.</summary>
    public string HttpAdminTokenFile { get; init; } = "";

    /// <summary><c>--https-address</c>: where the same HTTP API is served over TLS; empty (default) for nowhere.</summary>
    public string HttpsAddress { get; init; } = "";

    /// <summary><c>--tls-cert</c>: PEM certificate (chain) of the HTTPS listener, re-read when it changes.</summary>
    public string TlsCert { get; init; } = "";

    /// <summary><c>--tls-key</c>: PEM private key of <see cref="TlsCert"/>.</summary>
    public string TlsKey { get; init; } = "";

    /// <summary><c>--tls-client-ca</c>: PEM CA certificate(s); when set, HTTPS clients must present a certificate
    /// issued by one of them.</summary>
    public string TlsClientCa { get; init; } = "";

    public static string DefaultHostname { get; } = System.Net.Dns.GetHostName();
}
