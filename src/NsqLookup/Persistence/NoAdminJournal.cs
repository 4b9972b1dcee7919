namespace NsqLookup.Persistence;

/// <summary>No <c>--data-path</c> (the default): the action is applied and nothing is kept, as in the original.</summary>
internal sealed class NoAdminJournal : IAdminJournal
{
    public ValueTask<bool> CommitAsync(Func<IReadOnlyList<AdminAction>> plan, Action apply)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(apply);
        if (plan().Count == 0)
        {
            return ValueTask.FromResult(false);
        }

        apply();
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> ApplyAsync(Func<IReadOnlyList<AdminAction>> applyAndName)
    {
        ArgumentNullException.ThrowIfNull(applyAndName);
        _ = applyAndName();
        return ValueTask.FromResult(true);
    }
}
