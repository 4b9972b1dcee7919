namespace NsqLookup.Persistence;

/// <summary>The <c>--data-path</c> directory or its journal is no longer the one the daemon opened (deleted or
/// replaced while running): the batch is refused and so is every later admin action, until a restart.</summary>
internal sealed class DataPathGoneException : IOException
{
    public DataPathGoneException(string message)
        : base(message)
    {
    }

    public DataPathGoneException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public DataPathGoneException()
    {
    }
}
