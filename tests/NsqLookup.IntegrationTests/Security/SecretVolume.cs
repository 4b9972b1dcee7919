using System.Runtime.InteropServices;

namespace NsqLookup.IntegrationTests.Security;

/// <summary>
/// A Kubernetes Secret volume as the kubelet lays it out and updates it (its <c>atomic_writer</c>): the files live in
/// a timestamped directory <c>..2026_12_08_01_02_03.N</c>, <c>..data</c> links to it, and each visible name links to
/// <c>..data/&lt;name&gt;</c>. An update writes a new timestamped directory, points a temporary link <c>..data_tmp</c>
/// at it, renames that link over <c>..data</c> (the one atomic step) and removes the old directory. Deleted on dispose.
/// </summary>
internal sealed partial class SecretVolume : IDisposable
{
    private int _generation;

    public SecretVolume(IReadOnlyDictionary<string, string> files)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"nsqlookupd-secret-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Current = WriteGeneration(files);
        File.CreateSymbolicLink(Path.Combine(Directory, "..data"), Path.GetFileName(Current));
        foreach (var name in files.Keys)
        {
            File.CreateSymbolicLink(Path.Combine(Directory, name), $"..data/{name}");
        }
    }

    public string Directory { get; }

    /// <summary>The timestamped directory <c>..data</c> points at.</summary>
    public string Current { get; private set; }

    /// <summary>The visible path of <paramref name="name"/> (a link to <c>..data/name</c>).</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Publishes new contents for the same names the way the kubelet does.</summary>
    public void Update(IReadOnlyDictionary<string, string> files)
    {
        var old = Current;
        var next = WriteGeneration(files);
        var tmp = Path.Combine(Directory, "..data_tmp");
        File.CreateSymbolicLink(tmp, Path.GetFileName(next));
        if (Rename(tmp, Path.Combine(Directory, "..data")) != 0)
        {
            throw new IOException($"rename {tmp} over ..data failed: errno {Marshal.GetLastPInvokeError()}");
        }

        Current = next;
        System.IO.Directory.Delete(old, recursive: true);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private string WriteGeneration(IReadOnlyDictionary<string, string> files)
    {
        var name = $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss}.{++_generation}";
        var dir = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(dir);
        foreach (var (file, text) in files)
        {
            File.WriteAllText(Path.Combine(dir, file), text);
        }

        return dir;
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string from, string to);
}
