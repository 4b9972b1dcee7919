namespace NsqLookup.Persistence;

/// <summary>An admin action the journal cannot store (a name over the record format's 65,535 UTF-8 bytes): it is
/// refused before anything changes, and the HTTP answer is 400 with this message.</summary>
internal sealed class AdminActionRefusedException : Exception
{
    public AdminActionRefusedException(string message)
        : base(message)
    {
    }

    public AdminActionRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public AdminActionRefusedException()
    {
    }
}
