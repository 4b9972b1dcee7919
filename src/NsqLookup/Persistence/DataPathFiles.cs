namespace NsqLookup.Persistence;

/// <summary>The files of a <c>--data-path</c> directory (docs/persistence.md).</summary>
internal sealed class DataPathFiles(string directory)
{
    public string Directory { get; } = directory;

    public string Journal => Path.Combine(Directory, "admin.journal");

    public string Snapshot => Path.Combine(Directory, "admin.snapshot");

    /// <summary>Where a new journal or snapshot is written before its atomic rename into place.</summary>
    public static string Temporary(string path) => path + ".tmp";
}
