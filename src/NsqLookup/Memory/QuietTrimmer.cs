using NsqLookup.Hosting;

namespace NsqLookup.Memory;

/// <summary>
/// Gives memory back once the daemon goes quiet after heavy allocation (<see cref="QuietTrimPolicy"/>): one blocking,
/// compacting, aggressive gen-2 collection, which also returns the GC's free regions to the OS. Without it the heap
/// a connection flood left behind stays committed, far above the RSS at its start (bench/memory-after-flood.sh shows
/// it), until the next allocation burst happens to need a full collection. Samples once a second (a counter read). The
/// daemon's own process also trims once at the first sample, a second after the start (<see cref="QuietTrimPolicy.TrimAfterStart"/>).
/// </summary>
internal sealed partial class QuietTrimmer : PeriodicService
{
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly QuietTrimPolicy _policy;
    private readonly Func<long> _allocatedBytes;
    private readonly Action _trim;
    private readonly ILogger<QuietTrimmer> _logger;
    private long _start;

    /// <param name="allocatedBytes">Bytes allocated so far (default: the GC's count); the daemon's counts the HTTP
    /// connection buffers when they are dropped, not when they are allocated (Http/ConnectionBufferPools.cs).</param>
    public QuietTrimmer(TimeProvider time, bool trimAfterStart, ILogger<QuietTrimmer> logger, Func<long>? allocatedBytes = null)
        : this(time, new QuietTrimPolicy { TrimAfterStart = trimAfterStart }, allocatedBytes ?? (static () => GC.GetTotalAllocatedBytes(precise: false)),
            TrimHeap, logger)
    {
    }

    /// <summary>For tests: a fake clock, allocation counter and trim.</summary>
    internal QuietTrimmer(TimeProvider time, QuietTrimPolicy policy, Func<long> allocatedBytes, Action trim, ILogger<QuietTrimmer> logger)
        : base(time)
    {
        _time = time;
        _policy = policy;
        _allocatedBytes = allocatedBytes;
        _trim = trim;
        _logger = logger;
    }

    protected override TimeSpan? Period => SamplePeriod;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _start = _time.GetTimestamp();
        if (_policy.TrimAfterStart && _logger.IsEnabled(LogLevel.Debug))
        {
            // The daemon's own process: the GC settings it runs with (NsqLookup.csproj sets the native binary's gen0 budget).
            var gc = GC.GetConfigurationVariables();
            Log.Settings(
                _logger,
                System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
                gc.TryGetValue("ConcurrentGC", out var concurrent) && concurrent is true ? "concurrent" : "not concurrent",
                gc.TryGetValue("GCGen0MaxBudget", out var budget) && budget is long bytes ? bytes / (1024 * 1024) : -1);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override Task TickAsync(CancellationToken stoppingToken)
    {
        if (_policy.Observe(_time.GetElapsedTime(_start), _allocatedBytes()))
        {
            _trim();
            Log.Trimmed(_logger, Environment.WorkingSet / (1024 * 1024));
        }

        return Task.CompletedTask;
    }

    private static void TrimHeap() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "GC: {Flavour}, {Concurrency}, gen0 budget {Gen0MiB} MiB")]
        public static partial void Settings(ILogger logger, string flavour, string concurrency, long gen0MiB);

        [LoggerMessage(LogLevel.Debug, "GC: heap compacted (after the start, or quiet after heavy allocation), working set now {WorkingSetMiB} MiB")]
        public static partial void Trimmed(ILogger logger, long workingSetMiB);
    }
}
