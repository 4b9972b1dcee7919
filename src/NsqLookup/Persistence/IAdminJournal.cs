namespace NsqLookup.Persistence;

/// <summary>
/// Where the HTTP admin actions go to outlive the process (<c>--data-path</c>). The one call site per action is
/// "apply to the registry and name what was done, then await durability, then answer 200".
/// </summary>
internal interface IAdminJournal
{
    /// <summary>
    /// Runs <paramref name="apply"/> (the registry change; it returns the actions to record, possibly none) and
    /// queues its records, both under one lock so the journal's order is the registry's (a create and a delete of
    /// one key racing must replay in the order they happened). The task completes once the records are on disk.
    /// </summary>
    ValueTask ApplyAsync(Func<IReadOnlyList<AdminAction>> apply);
}
