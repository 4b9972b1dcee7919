using NsqLookup.Persistence;
using NsqLookup.Registry;

namespace NsqLookup;

/// <summary>
/// Opt-in (<c>--prune-empty-keys-after</c>, off by default): periodically deletes topic and channel keys that
/// have had no producer for the grace period, so deleted topics stop lingering in <c>/topics</c>
/// (upstream #1009, #1101). The original never does this, which is why the default keeps its behaviour.
/// </summary>
internal sealed partial class EmptyKeyPruner(
    NsqLookupOptions options,
    RegistrationDB db,
    TimeProvider time,
    IAdminJournal journal,
    ILogger<EmptyKeyPruner> logger) : BackgroundService
{
    private PeriodicTimer? _timer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The timer starts here, not in ExecuteAsync, which the host runs later on the pool: the first check is due
        // one period after the start, whenever the loop gets to wait for it (and a test's fake clock, advanced right
        // after the start, finds the timer already there).
        var grace = options.PruneEmptyKeysAfter;
        if (grace > TimeSpan.Zero)
        {
            // Check often enough that a key goes within ~1/4 of the grace period after it expires.
            var period = TimeSpan.FromTicks(Math.Clamp(grace.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
            _timer = new PeriodicTimer(period, time);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        var grace = options.PruneEmptyKeysAfter;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // With --data-path the pruned keys leave the kept state too, in the same order as HTTP actions.
                IReadOnlyList<Registration> removed = [];
                try
                {
                    await journal.ApplyAsync(() => AdminAction.Pruned(removed = db.PruneEmptyKeys(grace))).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    Log.PruneNotKept(logger, ex.Message);
                }

                foreach (var r in removed)
                {
                    Log.Pruned(logger, r.Category, r.Key, r.SubKey);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "DB: pruning empty registration category:{Category} key:{Key} subkey:{SubKey}")]
        public static partial void Pruned(ILogger logger, string category, string key, string subKey);

        [LoggerMessage(LogLevel.Error, "DB: pruning could not be recorded in --data-path - {Error}")]
        public static partial void PruneNotKept(ILogger logger, string error);
    }
}
