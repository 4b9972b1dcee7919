namespace NsqLookup.Persistence;

/// <summary>The data path cannot be used (locked by another daemon, missing, unreadable, or corrupt other than at
/// the tail): startup stops with exit 1 and this message on the <c>FATAL:</c> line.</summary>
internal sealed class DataPathException : Exception
{
    public DataPathException(string message)
        : base(message)
    {
    }

    public DataPathException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public DataPathException()
    {
    }
}
