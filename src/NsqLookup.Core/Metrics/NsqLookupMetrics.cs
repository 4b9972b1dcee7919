using System.Diagnostics.Metrics;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Metrics;

/// <summary>
/// The daemon's instruments on one <see cref="Meter"/> named <c>NsqLookup</c> (the Go original has none; operators got
/// only <c>/debug</c> and logs). Counters are bumped where things happen; the directory's sizes are observable
/// gauges read from <see cref="RegistrationDB.Counts"/> at scrape time. Every label has a fixed set of values:
/// command names, error codes, route templates, status codes. The exporter turns the dotted names into
/// Prometheus ones (<c>nsqlookupd.commands</c> → <c>nsqlookupd_commands_total</c>; see docs/metrics.md).
/// </summary>
internal sealed class NsqLookupMetrics : IDisposable
{
    public const string MeterName = "NsqLookup";

    /// <summary>The <c>reason</c> of a TCP connection closed at accept because its source is not in <c>--tcp-allow</c>.</summary>
    public const string TcpRefusedAllowlist = "allowlist";

    /// <summary>Seconds; from 0.5 ms (a <c>/ping</c>) to 10 s (a <c>/nodes</c> over a huge directory).</summary>
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _tcpAccepted;
    private readonly UpDownCounter<long> _tcpOpen;
    private readonly Counter<long> _tcpRejected;
    private readonly Counter<long> _tcpRefused;
    private readonly Counter<long> _httpRejected;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _protocolErrors;
    private readonly Counter<long> _httpRequests;
    private readonly Histogram<double> _httpDuration;

    /// <param name="db">The registry whose sizes the gauges read.</param>
    /// <param name="logLinesDropped">Log lines dropped so far because the log output was blocked (none without it).</param>
    public NsqLookupMetrics(RegistrationDB db, Func<long>? logLinesDropped = null)
    {
        ArgumentNullException.ThrowIfNull(db);

        // One meter per daemon, not a static one: the integration tests run several daemons in one process, and the
        // exporter keeps to its own daemon's meter (NsqLookupApp's view), not to the name.
        Meter = new Meter(MeterName);
        _tcpAccepted = Meter.CreateCounter<long>("nsqlookupd.tcp.connections", "{connection}", "TCP connections accepted");
        _tcpOpen = Meter.CreateUpDownCounter<long>("nsqlookupd.tcp.connections.open", "{connection}", "TCP connections open now");
        _tcpRejected = Meter.CreateCounter<long>("nsqlookupd.tcp.connections.rejected", "{connection}", "TCP connections refused by a limit");
        _tcpRefused = Meter.CreateCounter<long>("nsqlookupd.tcp.connections.refused", "{connection}", "TCP connections closed at accept by an access rule, by reason");
        _httpRejected = Meter.CreateCounter<long>("nsqlookupd.http.connections.rejected", "{connection}", "HTTP and HTTPS connections refused by --http-max-connections");
        _commands = Meter.CreateCounter<long>("nsqlookupd.commands", "{command}", "TCP commands received, by name");
        _protocolErrors = Meter.CreateCounter<long>("nsqlookupd.protocol.errors", "{error}", "TCP protocol errors sent (each closes its connection), by code");
        _httpRequests = Meter.CreateCounter<long>("nsqlookupd.http.requests", "{request}", "HTTP requests, by route and status");
        _httpDuration = Meter.CreateHistogram(
            "nsqlookupd.http.request.duration",
            "s",
            "HTTP request duration, by route",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        Meter.CreateObservableGauge("nsqlookupd.producers", () => db.Counts().Producers, "{producer}", "Identified nsqd connections");
        Meter.CreateObservableGauge("nsqlookupd.topics", () => db.Counts().Topics, "{topic}", "Topics (as /topics lists them)");
        Meter.CreateObservableGauge("nsqlookupd.channels", () => db.Counts().Channels, "{channel}", "Channels across all topics");
        Meter.CreateObservableGauge("nsqlookupd.registrations", () => Registrations(db), "{registration}", "Producer entries, by category");
        logLinesDropped ??= static () => 0;
        Meter.CreateObservableCounter("nsqlookupd.log.lines.dropped", logLinesDropped, "{line}", "Log lines dropped because the log output was blocked");
    }

    public Meter Meter { get; }

    /// <summary>The commands counted by name, and the error codes the protocol sends (docs/protocol.md).</summary>
    internal static IReadOnlyList<string> CommandNames { get; } = ["PING", "IDENTIFY", "REGISTER", "UNREGISTER"];

    internal static IReadOnlyList<string> ErrorCodes { get; } = ["E_INVALID", "E_BAD_PROTOCOL", "E_BAD_BODY", "E_BAD_TOPIC", "E_BAD_CHANNEL"];

    /// <summary>Adds 0 to every counter (and the open-connections gauge) for each of its known label sets, so that a listener started after this
    /// meter has those series from its first scrape (Prometheus's "avoid missing metrics": an alert on
    /// <c>increase()</c> sees the first event only if the series existed before it). HTTP requests are not
    /// initialised but for the refusals an alert watches: 403 on each of <paramref name="refusableRoutes"/> (the admin
    /// and debug routes).</summary>
    public void RecordZeros(IEnumerable<string>? refusableRoutes = null)
    {
        foreach (var route in refusableRoutes ?? [])
        {
            _httpRequests.Add(0, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("status", StatusText(403)));
        }

        _tcpAccepted.Add(0);
        _tcpOpen.Add(0);
        _tcpRejected.Add(0);
        _tcpRefused.Add(0, new KeyValuePair<string, object?>("reason", TcpRefusedAllowlist));
        foreach (var name in CommandNames)
        {
            _commands.Add(0, new KeyValuePair<string, object?>("command", name));
        }

        foreach (var code in ErrorCodes)
        {
            _protocolErrors.Add(0, new KeyValuePair<string, object?>("code", code));
        }
    }

    public void TcpConnectionOpened()
    {
        _tcpAccepted.Add(1);
        _tcpOpen.Add(1);
    }

    public void TcpConnectionClosed() => _tcpOpen.Add(-1);

    /// <summary>For connection limits: a socket accepted and closed at once because a limit was reached.</summary>
    public void TcpConnectionRejected() => _tcpRejected.Add(1);

    /// <summary>A socket closed at accept because its source is not allowed (<paramref name="reason"/>: <c>allowlist</c>).</summary>
    public void TcpConnectionRefused(string reason) => _tcpRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>An HTTP or HTTPS connection reset at accept because <c>--http-max-connections</c> was reached.</summary>
    public void HttpConnectionRejected() => _httpRejected.Add(1);

    /// <summary>A recognised command (<c>PING</c>, <c>IDENTIFY</c>, <c>REGISTER</c>, <c>UNREGISTER</c>); anything else
    /// shows up as an <c>E_INVALID</c> protocol error instead, so the label stays bounded.</summary>
    public void Command(string name) => _commands.Add(1, new KeyValuePair<string, object?>("command", name));

    public void ProtocolError(ProtocolError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _protocolErrors.Add(1, new KeyValuePair<string, object?>("code", error.Code));
    }

    /// <summary>One answered HTTP request; <paramref name="route"/> is a route template or <c>other</c>.</summary>
    public void HttpRequest(string route, int status, TimeSpan elapsed)
    {
        var routeTag = new KeyValuePair<string, object?>("route", route);
        _httpRequests.Add(1, routeTag, new KeyValuePair<string, object?>("status", StatusText(status)));
        _httpDuration.Record(elapsed.TotalSeconds, routeTag);
    }

    public void Dispose() => Meter.Dispose();

    private static Measurement<int>[] Registrations(RegistrationDB db)
    {
        var counts = db.Counts();
        return
        [
            new(counts.ClientEntries, new KeyValuePair<string, object?>("category", Registration.ClientCategory)),
            new(counts.TopicEntries, new KeyValuePair<string, object?>("category", Registration.TopicCategory)),
            new(counts.ChannelEntries, new KeyValuePair<string, object?>("category", Registration.ChannelCategory)),
        ];
    }

    /// <summary>The few statuses the daemon sends, without a string allocation each.</summary>
    private static string StatusText(int status) => status switch
    {
        200 => "200",
        301 => "301",
        307 => "307",
        400 => "400",
        403 => "403",
        404 => "404",
        405 => "405",
        500 => "500",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
