namespace NsqLookup.Persistence;

/// <summary>
/// Where the HTTP admin actions go to outlive the process (<c>--data-path</c>). The one call site per action is
/// "name what would be done, await its record being durable (the change is applied then), answer 200".
/// </summary>
internal interface IAdminJournal
{
    /// <summary>
    /// Journal first: runs <paramref name="plan"/> (it reads the registry and names the records the action needs,
    /// possibly none) and queues those records, under one lock so the journal's order is the order of the actions.
    /// Only once the records are written and fsynced does <paramref name="apply"/> run (the registry change), in
    /// journal order, and the task complete with true. With no records, nothing runs and the answer is false.
    /// Throws <see cref="AdminActionRefusedException"/> before anything is queued when a record cannot be stored,
    /// and <see cref="IOException"/> (from the task) when the write failed: then <paramref name="apply"/> never runs.
    /// </summary>
    ValueTask<bool> CommitAsync(Func<IReadOnlyList<AdminAction>> plan, Action apply);

    /// <summary>
    /// For changes that cannot wait for their record (<c>--prune-empty-keys-after</c>): runs
    /// <paramref name="applyAndName"/> (the registry change; it returns the records), and queues them. It runs only
    /// while no record is queued or being written, so that it never overtakes an action whose registry change is
    /// still waiting for its fsync; otherwise it is skipped (false) and the caller tries again later.
    /// </summary>
    ValueTask<bool> ApplyAsync(Func<IReadOnlyList<AdminAction>> applyAndName);
}
