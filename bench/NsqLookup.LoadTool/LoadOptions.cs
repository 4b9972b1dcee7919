using System.Globalization;
using System.Net;

namespace NsqLookup.LoadTool;

/// <summary>The load tool's flags (<c>--name=value</c>); see <see cref="Usage"/>.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        usage: nsqlookup-load [flags]            run the scenarios against a running nsqlookupd
               nsqlookup-load report [--commit=SHA] [--build=TEXT] [--no-header] [--out=FILE] RUN.json...   medians as Markdown
               nsqlookup-load admin --http=HOST:PORT [--requests=N] [--concurrency=N]   POST /topic/create throughput
               nsqlookup-load journal --out=FILE [--records=N]   write a --data-path journal of N records

          --tcp=HOST:PORT           lookupd TCP address (default 127.0.0.1:4160)
          --http=HOST:PORT          lookupd HTTP address (default 127.0.0.1:4161)
          --producers=N             simulated nsqd peers, one connection each (default 100)
          --topics=N                topics per producer (default 1000)
          --channels=N              channels per topic (default 5)
          --ping-interval=DUR       nsqd heartbeat (default 15s)
          --deadline=DUR            per dial/read/write deadline of the simulated nsqd (default nsqd's 1s)
          --coalesce-writes=BOOL    one write per command instead of nsqd's one write per piece (default false;
                                    for comparison only, real nsqd does not do this)
          --duration=DUR            length of each HTTP scenario (default 5s)
          --warmup=DUR              unrecorded load before each HTTP scenario, for the server's JIT (default 1s)
          --concurrency=N           HTTP workers, one keep-alive connection each (default 16)
          --client=raw|httpclient   HTTP client: pre-built requests on raw sockets, or HttpClient (default raw)
          --mixed-producers=N       fresh producers registering during the /nodes hammering (default 10)
          --mixed-interval=DUR      pause between one fresh producer's REGISTERs (default 10ms)
          --settle=DUR              wait after loading before reading the server's RSS (default 2s)
          --server-pid=PID          the daemon's PID: adds server CPU-µs per operation and RSS
          --scenarios=LIST          comma-separated subset of register,http,mixed,disconnect (default all;
                                    http, mixed and disconnect need register)
          --json=FILE               also write the results as JSON
          --hold=DUR                after the scenarios, print "holding" and keep every producer connected this long
                                    (bench/shutdown.sh signals the daemon meanwhile; default 0)
        Durations: 15s, 500ms, 2m, or plain seconds.
        """;

    public string Tcp { get; init; } = "127.0.0.1:4160";

    public string Http { get; init; } = "127.0.0.1:4161";

    public int Producers { get; init; } = 100;

    public int Topics { get; init; } = 1000;

    public int Channels { get; init; } = 5;

    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(15);

    public bool CoalesceWrites { get; init; }

    public TimeSpan Deadline { get; init; } = NsqdPeer.NsqdDeadline;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    public int Concurrency { get; init; } = 16;

    public string Client { get; init; } = "raw";

    public int MixedProducers { get; init; } = 10;

    public TimeSpan MixedInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);

    public int? ServerPid { get; init; }

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string> { "register", "http", "mixed", "disconnect" };

    public string? JsonPath { get; init; }

    public TimeSpan Hold { get; init; }

    public EndPoint TcpEndPoint => ParseEndPoint(Tcp);

    public EndPoint HttpEndPoint => ParseEndPoint(Http);

    /// <summary>Registration keys the load creates: the client key, the topics, their channels (docs/protocol.md,
    /// "Registration model").</summary>
    public long Keys => 1 + Topics + ((long)Topics * Channels);

    /// <summary>Producer entries: every producer is in every key.</summary>
    public long Entries => Producers * Keys;

    public static LoadOptions Parse(IEnumerable<string> args)
    {
        var o = new LoadOptions();
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (!arg.StartsWith("--", StringComparison.Ordinal) || eq < 0)
            {
                throw new ArgumentException($"expected --name=value, got '{arg}'");
            }

            var value = arg[(eq + 1)..];
            o = arg[2..eq] switch
            {
                "tcp" => o with { Tcp = value },
                "http" => o with { Http = value },
                "producers" => o with { Producers = Positive(value) },
                "topics" => o with { Topics = Positive(value) },
                "channels" => o with { Channels = int.Parse(value, CultureInfo.InvariantCulture) },
                "ping-interval" => o with { PingInterval = ParseDuration(value) },
                "deadline" => o with { Deadline = ParseDuration(value) },
                "coalesce-writes" => o with { CoalesceWrites = bool.Parse(value) },
                "duration" => o with { Duration = ParseDuration(value) },
                "warmup" => o with { Warmup = ParseDuration(value) },
                "concurrency" => o with { Concurrency = Positive(value) },
                "client" => value is "raw" or "httpclient" ? o with { Client = value } : throw new ArgumentException("--client is raw or httpclient"),
                "mixed-producers" => o with { MixedProducers = Positive(value) },
                "mixed-interval" => o with { MixedInterval = ParseDuration(value) },
                "settle" => o with { Settle = ParseDuration(value) },
                "server-pid" => o with { ServerPid = Positive(value) },
                "scenarios" => o with { Scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() },
                "json" => o with { JsonPath = value },
                "hold" => o with { Hold = ParseDuration(value) },
                var name => throw new ArgumentException($"unknown flag --{name}"),
            };
        }

        return o;
    }

    public static TimeSpan ParseDuration(string text)
    {
        static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        return text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(Num(text[..^2])),
            _ when text.EndsWith('s') => TimeSpan.FromSeconds(Num(text[..^1])),
            _ when text.EndsWith('m') => TimeSpan.FromMinutes(Num(text[..^1])),
            _ => TimeSpan.FromSeconds(Num(text)),
        };
    }

    private static int Positive(string text)
    {
        var n = int.Parse(text, CultureInfo.InvariantCulture);
        return n > 0 ? n : throw new ArgumentException($"expected a positive number, got {text}");
    }

    private static IPEndPoint ParseEndPoint(string text) => IPEndPoint.Parse(text);
}
