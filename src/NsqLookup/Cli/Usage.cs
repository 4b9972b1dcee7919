namespace NsqLookup.Cli;

/// <summary>
/// What Go's <c>flag.PrintDefaults</c> prints for nsqlookupd's flag set (apps/nsqlookupd/options.go), sorted by
/// name, plus our two additions (<c>-log-format</c>, <c>-quiet-pings</c>) in their sorted places. The duration defaults are written in Go's form (<c>5m0s</c>, <c>45s</c>) rather than formatted here.
/// </summary>
internal static class Usage
{
    public static void Write(TextWriter output, string defaultHostname)
    {
        // Go omits "(default …)" when the default is the zero value, i.e. an empty hostname.
        var hostDefault = defaultHostname.Length == 0 ? "" : $" (default {GoQuote.Quote(defaultHostname)})";
        output.Write(
            "Usage of nsqlookupd:\n" +
            "  -broadcast-address string\n" +
            $"    \taddress of this lookupd node, (default to the OS hostname){hostDefault}\n" +
            "  -config string\n" +
            "    \tpath to config file\n" +
            "  -http-address string\n" +
            "    \t<addr>:<port> to listen on for HTTP clients (default \"0.0.0.0:4161\")\n" +
            "  -inactive-producer-timeout duration\n" +
            "    \tduration of time a producer will remain in the active list since its last ping (default 5m0s)\n" +
            "  -log-format string\n" +
            "    \tlog line format: text (the original's) or json (one object per line) (default \"text\")\n" +
            "  -log-level value\n" +
            "    \tset log verbosity: debug, info, warn, error, or fatal (default INFO)\n" +
            "  -log-prefix string\n" +
            "    \tlog message prefix (default \"[nsqlookupd] \")\n" +
            "  -quiet-pings\n" +
            "    \tlog each client PING at DEBUG instead of INFO\n" +
            "  -tcp-address string\n" +
            "    \t<addr>:<port> to listen on for TCP clients (default \"0.0.0.0:4160\")\n" +
            "  -tombstone-lifetime duration\n" +
            "    \tduration of time a producer will remain tombstoned if registration remains (default 45s)\n" +
            "  -verbose\n" +
            "    \t[deprecated] has no effect, use --log-level\n" +
            "  -version\n" +
            "    \tprint version string\n");
        output.Flush();
    }
}
