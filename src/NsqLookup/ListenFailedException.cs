namespace NsqLookup;

/// <summary>A listener could not be bound; Program turns it into the anchor's FATAL line and exit 1.</summary>
public sealed class ListenFailedException(string address, Exception inner)
    : Exception($"listen ({address}) failed - {inner.Message}", inner)
{
    public string Address { get; } = address;
}
