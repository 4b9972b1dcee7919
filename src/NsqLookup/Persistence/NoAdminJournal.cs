namespace NsqLookup.Persistence;

/// <summary>No <c>--data-path</c> (the default): the action is applied and nothing is kept, as in the original.</summary>
internal sealed class NoAdminJournal : IAdminJournal
{
    public ValueTask ApplyAsync(Func<IReadOnlyList<AdminAction>> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        _ = apply();
        return ValueTask.CompletedTask;
    }
}
