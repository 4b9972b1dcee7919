using NsqLookup.Persistence;
using NsqLookup.Registry;

namespace NsqLookup.Hosting;

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
    ILogger<EmptyKeyPruner> logger) : PeriodicService(time)
{
    /// <summary>Often enough that a key goes within ~1/4 of the grace period after it expires; off without one.</summary>
    protected override TimeSpan? Period => options.PruneEmptyKeysAfter <= TimeSpan.Zero
        ? null
        : TimeSpan.FromTicks(Math.Clamp(options.PruneEmptyKeysAfter.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    protected override async Task TickAsync(CancellationToken stoppingToken)
    {
        // With --data-path the pruned keys leave the kept state too, in the same order as HTTP actions.
        IReadOnlyList<Registration> removed = [];
        try
        {
            await journal.ApplyAsync(() => AdminAction.Pruned(removed = db.PruneEmptyKeys(options.PruneEmptyKeysAfter))).ConfigureAwait(false);
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

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "DB: pruning empty registration category:{Category} key:{Key} subkey:{SubKey}")]
        public static partial void Pruned(ILogger logger, string category, string key, string subKey);

        [LoggerMessage(LogLevel.Error, "DB: pruning could not be recorded in --data-path - {Error}")]
        public static partial void PruneNotKept(ILogger logger, string error);
    }
}
