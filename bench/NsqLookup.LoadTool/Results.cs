using System.Text.Json.Serialization;

namespace NsqLookup.LoadTool;

/// <summary>Everything one run measured; written as JSON so <c>report</c> can take medians over runs.
/// <see cref="DroppedBefore"/>: per scenario, producer connections that had failed (missed nsqd's 1 s deadline)
/// since the previous one and were reconnected and replayed before it started.</summary>
internal sealed record RunResult(
    RunConfig Config,
    RegistrationResult? Registration,
    IReadOnlyList<HttpResult> Http,
    MixedResult? Mixed,
    DisconnectResult? Disconnect,
    IReadOnlyDictionary<string, int>? DroppedBefore = null);

internal sealed record RunConfig(
    string Tcp, string Http, int Producers, int Topics, int Channels, long Keys, long Entries,
    double DurationSeconds, int Concurrency, string Client, int MixedProducers, double PingIntervalSeconds, bool CoalesceWrites,
    bool ServerMeasured);

/// <summary>Loading every REGISTER over all producer connections, and what it cost the server. ToolCores and
/// ServerCores: CPU time over wall time of the load tool and of the server while loading (1.0 = one core busy), which
/// tells whose core ran out first.</summary>
internal sealed record RegistrationResult(
    long Registers,
    double Seconds,
    double RegistersPerSecond,
    LatencySummary RoundTrip,
    long Errors,
    double? ServerCpuMicrosPerRegister,
    long? RssIdleBytes,
    long? RssConnectedBytes,
    long? RssLoadedBytes,
    double? BytesPerEntry,
    int TopicsVisible,
    int TopicsFullyRegistered,
    int NodesVisible,
    double? ToolCores = null,
    double? ServerCores = null);

/// <summary>One HTTP query scenario at fixed concurrency for a fixed time.</summary>
internal sealed record HttpResult(
    string Name,
    int Concurrency,
    long Requests,
    double Seconds,
    double RequestsPerSecond,
    LatencySummary Latency,
    long Errors,
    double? ServerCpuMicrosPerRequest,
    long? RssBytes);

/// <summary>REGISTER round trips of fresh producers while <c>/nodes</c> runs at full tilt; a REGISTER that missed
/// nsqd's 1 s deadline is counted in <see cref="Register"/> as 1 s and in <see cref="RegisterTimeouts"/>.</summary>
internal sealed record MixedResult(LatencySummary Register, long RegisterTimeouts, long IdentifyFailures, long RegisterErrors, HttpResult Nodes);

/// <summary>From closing every producer connection until <c>/nodes</c> answered an empty list. PeersDropped is kept
/// for results of older tool versions (producers that had failed before the disconnect); now always 0, see
/// <see cref="RunResult.DroppedBefore"/>.</summary>
internal sealed record DisconnectResult(
    int ProducersBefore, double Milliseconds, double LastNonEmptyMilliseconds, int Polls, bool Emptied, int PeersDropped);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RunResult))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
