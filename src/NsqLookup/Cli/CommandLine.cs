using NsqLookup.Logging;

namespace NsqLookup.Cli;

/// <summary>nsqlookupd's flag set (apps/nsqlookupd/options.go) and the <c>--version</c> check (main.go).</summary>
internal static class CommandLine
{
    /// <summary>
    /// Parses <paramref name="args"/>. Returns the exit code when the process must stop now (help → 0, a flag
    /// error → 2, <c>--version</c> → 0, all already printed), or null with <paramref name="result"/> set.
    /// </summary>
    public static int? TryParse(string[] args, TextWriter stdout, TextWriter stderr, out CommandLineResult result)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var options = new NsqLookupOptions();
        string? config = null;
        var version = false;
        var hostname = NsqLookupOptions.DefaultHostname;

        GoFlag[] flags =
        [
            new("tcp-address", false, v => { options = options with { TcpAddress = v }; return null; }),
            new("http-address", false, v => { options = options with { HttpAddress = v }; return null; }),
            new("broadcast-address", false, v => { options = options with { BroadcastAddress = v }; return null; }),
            new("inactive-producer-timeout", false, v => Duration(v, d => options = options with { InactiveProducerTimeout = d })),
            new("tombstone-lifetime", false, v => Duration(v, d => options = options with { TombstoneLifetime = d })),

            // Additions (Operations): opt-in pruning of keys the original keeps forever; the drain bound on shutdown.
            new("prune-empty-keys-after", false, v => Duration(v, d => options = options with { PruneEmptyKeysAfter = d })),
            new("data-path", false, v => { options = options with { DataPath = v.Length == 0 ? null : v }; return null; }),
            new("shutdown-timeout", false, v => Duration(v, d => options = options with { ShutdownTimeout = d })),
            new("log-level", false, v =>
            {
                if (!GoLogLevel.TryParse(v, out var level))
                    return GoLogLevel.InvalidMessage(v);
                options = options with { LogLevel = level };
                return null;
            }),
            new("log-prefix", false, v => { options = options with { LogPrefix = v }; return null; }),
            new("log-format", false, v =>
            {
                if (!LogFormats.TryParse(v, out var format))
                    return LogFormats.InvalidMessage(v);
                options = options with { LogFormat = format };
                return null;
            }),
            new("quiet-pings", true, v => Bool(v, b => options = options with { QuietPings = b })),
            // Additions: input limits the Go original lacks (docs/configuration.md, "Limits").
            new("max-command-size", false, v => Int(v, 1, int.MaxValue, n => options = options with { MaxCommandLineLength = (int)n })),
            new("max-identify-body-size", false, v => Int(v, 0, int.MaxValue, n => options = options with { MaxIdentifyBodySize = (int)n })),
            new("handshake-timeout", false, v => Duration(v, d => options = options with { HandshakeTimeout = d })),
            new("max-tcp-connections", false, v => Int(v, 0, int.MaxValue, n => options = options with { MaxTcpConnections = (int)n })),
            new("http-max-header-size", false, v => Int(v, 1, int.MaxValue / 4, n => options = options with { HttpMaxHeaderSize = (int)n })),
            new("http-max-body-size", false, v => Int(v, 0, long.MaxValue, n => options = options with { HttpMaxBodySize = n })),
            new("http-max-connections", false, v => Int(v, 0, int.MaxValue, n => options = options with { HttpMaxConnections = (int)n })),
            new("http-header-timeout", false, v => Duration(v, d => options = options with { HttpHeaderTimeout = d }, positive: true)),
            // Additions (trust boundaries, README "Securing a lookupd"): all off by default.
            new("tcp-allow", false, v => Cidrs(v, () => options = options with { TcpAllow = [.. options.TcpAllow, v] })),
            new("http-admin-allow", false, v => Cidrs(v, () => options = options with { HttpAdminAllow = [.. options.HttpAdminAllow, v] })),
            new("http-admin-token-file", false, v => { options = options with { HttpAdminTokenFile = v }; return null; }),
            new("https-address", false, v => { options = options with { HttpsAddress = v }; return null; }),
            new("tls-cert", false, v => { options = options with { TlsCert = v }; return null; }),
            new("tls-key", false, v => { options = options with { TlsKey = v }; return null; }),
            new("tls-client-ca", false, v => { options = options with { TlsClientCa = v }; return null; }),
            new("config", false, v => { config = v; return null; }),
            new("version", true, v => Bool(v, b => version = b)),
            new("verbose", true, v => Bool(v, _ => { })), // deprecated, accepted, no effect
        ];

        var parser = new GoFlagParser(flags, w => Usage.Write(w, hostname));
        var outcome = parser.Parse(args, stderr);
        result = new CommandLineResult(options, string.IsNullOrEmpty(config) ? null : config, parser.Actual);
        switch (outcome)
        {
            case GoFlagParseOutcome.Help:
                return 0;
            case GoFlagParseOutcome.Error:
                return 2;
        }

        if (version)
        {
            stdout.Write(BuildInfo.VersionLine + "\n");
            stdout.Flush();
            return 0;
        }

        return null;
    }

    // Go's flag package replaces the value parsers' own errors with errParse ("parse error").
    private const string ParseError = "parse error";

    private static string? Duration(string text, Action<TimeSpan> set, bool positive = false)
    {
        if (!GoDuration.TryParse(text, out var d))
            return ParseError;
        if (d < TimeSpan.Zero || (positive && d == TimeSpan.Zero))
            return positive ? "must be positive" : "must not be negative";
        set(d);
        return null;
    }

    private static string? Int(string text, long min, long max, Action<long> set)
    {
        if (GoInt.TryParse(text, out var n) is { } error)
            return error;
        if (n < min || n > max)
            return $"must be between {min} and {max}";
        set(n);
        return null;
    }

    private static string? Cidrs(string text, Action add)
    {
        if (!Security.CidrAllowList.TryParse([text], out _, out var error))
            return error;
        add();
        return null;
    }

    private static string? Bool(string text, Action<bool> set)
    {
        if (!GoFlagParser.TryParseBool(text, out var b))
            return ParseError;
        set(b);
        return null;
    }
}
