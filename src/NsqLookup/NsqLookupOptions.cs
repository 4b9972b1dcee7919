namespace NsqLookup;

/// <summary>
/// Every daemon setting (nsqlookupd/options.go), after command line, config file and defaults are merged.
/// </summary>
public sealed record NsqLookupOptions
{
    public string TcpAddress { get; init; } = "0.0.0.0:4160";

    public string HttpAddress { get; init; } = "0.0.0.0:4161";

    /// <summary>Defaults to the OS hostname (<c>Dns.GetHostName()</c>, the full kernel name like Go's).</summary>
    public string BroadcastAddress { get; init; } = DefaultHostname;

    public TimeSpan InactiveProducerTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan TombstoneLifetime { get; init; } = TimeSpan.FromSeconds(45);

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public string LogPrefix { get; init; } = "[nsqlookupd] ";

    /// <summary><c>--log-format</c> (our addition): <see cref="Logging.LogFormat.Text"/> is the original's format.</summary>
    public Logging.LogFormat LogFormat { get; init; } = Logging.LogFormat.Text;

    /// <summary><c>--quiet-pings</c> (our addition): log each PING at DEBUG instead of INFO (spec §8 item 8).</summary>
    public bool QuietPings { get; init; }

    /// <summary>Largest IDENTIFY body accepted (spec §8 item 1, deviation: safer).</summary>
    public int MaxIdentifyBodySize { get; init; } = 64 * 1024;

    /// <summary>Longest command line accepted, LF included (spec §8 item 2, deviation: safer).</summary>
    public int MaxCommandLineLength { get; init; } = 4096;

    /// <summary>Opt-in: delete topic/channel keys left with no producer for this long; zero (default) keeps
    /// them forever, as the original does.</summary>
    public TimeSpan PruneEmptyKeysAfter { get; init; }

    public static string DefaultHostname { get; } = System.Net.Dns.GetHostName();
}
