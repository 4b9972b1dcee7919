using NsqLookup.Cli;

namespace NsqLookup.Tests.Cli;

/// <summary>One in-process run of the command-line parser with captured stdout/stderr.</summary>
internal sealed record CliRun(int? ExitCode, string Stdout, string Stderr, CommandLineResult Result)
{
    public static CliRun Of(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CommandLine.TryParse(args, stdout, stderr, out var result);
        return new CliRun(exit, stdout.ToString(), stderr.ToString(), result);
    }

    public static string ExpectedUsage =>
        "Usage of nsqlookupd:\n" +
        "  -broadcast-address string\n" +
        $"    \taddress of this lookupd node, (default to the OS hostname) (default \"{NsqLookupOptions.DefaultHostname}\")\n" +
        "  -config string\n" +
        "    \tpath to config file\n" +
        "  -data-path string\n" +
        "    \tdirectory to keep HTTP-created topics, channels and tombstones in across restarts, empty for none\n" +
        "  -handshake-timeout duration\n" +
        "    \ttime a new TCP connection has to send the protocol magic, 0 for none (default 10s)\n" +
        "  -http-address string\n" +
        "    \t<addr>:<port> to listen on for HTTP clients (default \"0.0.0.0:4161\")\n" +
        "  -http-admin-allow value\n" +
        "    \tCIDR[,CIDR...] whose HTTP requests may use the admin routes without a token (may be given multiple times)\n" +
        "  -http-admin-token-file string\n" +
        "    \tfile holding the secret that opens the admin routes as \"Authorization: Bearer <secret>\", re-read when it changes\n" +
        "  -http-header-timeout duration\n" +
        "    \ttime an HTTP client has to send the request line and headers (default 30s)\n" +
        "  -http-max-body-size int\n" +
        "    \tmaximum size of an HTTP request body, larger gets 413 (default 1048576)\n" +
        "  -http-max-connections int\n" +
        "    \tmaximum open HTTP and HTTPS connections together, new ones beyond are closed, 0 for no limit (default 10000)\n" +
        "  -http-max-header-size int\n" +
        "    \tmaximum size of an HTTP request line and of its headers, larger gets 414/431 (default 1048576)\n" +
        "  -https-address string\n" +
        "    \t<addr>:<port> to listen on for HTTPS clients (needs -tls-cert and -tls-key)\n" +
        "  -inactive-producer-timeout duration\n" +
        "    \tduration of time a producer will remain in the active list since its last ping (default 5m0s)\n" +
        "  -log-format string\n" +
        "    \tlog line format: text (the original's) or json (one object per line) (default \"text\")\n" +
        "  -log-level value\n" +
        "    \tset log verbosity: debug, info, warn, error, or fatal (default INFO)\n" +
        "  -log-prefix string\n" +
        "    \tlog message prefix (default \"[nsqlookupd] \")\n" +
        "  -max-command-size int\n" +
        "    \tmaximum length of a TCP command line, including the newline (default 4096)\n" +
        "  -max-identify-body-size int\n" +
        "    \tmaximum size of an IDENTIFY body (default 65536)\n" +
        "  -max-tcp-connections int\n" +
        "    \tmaximum open TCP connections, new ones beyond are closed, 0 for no limit (default 10000)\n" +
        "  -prune-empty-keys-after duration\n" +
        "    \tdelete topic/channel registrations left with no producer for this long, 0 to keep them forever\n" +
        "  -quiet-pings\n" +
        "    \tlog each client PING at DEBUG instead of INFO\n" +
        "  -shutdown-timeout duration\n" +
        "    \ton SIGTERM/SIGINT, how long to wait for in-flight HTTP requests and TCP clients (default 5s)\n" +
        "  -tcp-address string\n" +
        "    \t<addr>:<port> to listen on for TCP clients (default \"0.0.0.0:4160\")\n" +
        "  -tcp-allow value\n" +
        "    \tCIDR[,CIDR...] of peers allowed on the TCP port, others are closed at accept (may be given multiple times)\n" +
        "  -tls-cert string\n" +
        "    \tPEM certificate for -https-address, re-read when it changes\n" +
        "  -tls-client-ca string\n" +
        "    \tPEM CA certificate(s); HTTPS clients must present a certificate it issued\n" +
        "  -tls-key string\n" +
        "    \tPEM private key for -tls-cert, re-read when it changes\n" +
        "  -tombstone-lifetime duration\n" +
        "    \tduration of time a producer will remain tombstoned if registration remains (default 45s)\n" +
        "  -verbose\n" +
        "    \t[deprecated] has no effect, use --log-level\n" +
        "  -version\n" +
        "    \tprint version string\n";
}
