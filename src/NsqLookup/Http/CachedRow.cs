namespace NsqLookup.Http;

/// <summary>One encoded <c>/nodes</c> row (a whole producer object) and the registry's version of the row.</summary>
internal sealed class CachedRow(long version, byte[] bytes)
{
    public long Version { get; } = version;

    public byte[] Bytes { get; } = bytes;
}
