namespace NsqLookup.Security;

/// <summary>What tells a changed file from an unchanged one without reading it: its size and modification time
/// (<see cref="Missing"/> when it cannot be looked at).</summary>
internal readonly record struct FileStamp(DateTime Modified, long Length)
{
    public static FileStamp Missing { get; } = new(DateTime.MinValue, -1);

    public static FileStamp Of(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : Missing;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Missing;
        }
    }
}
