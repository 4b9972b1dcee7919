using System.Diagnostics;

namespace NsqLookup.IntegrationTests.Persistence;

/// <summary>A small tmpfs mounted on a fresh directory (a full disk, or a read-only one, on demand), unmounted and
/// removed on dispose. Mounting needs root, as CI runs.</summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static Tmpfs Mount(string options)
    {
        var path = Directory.CreateTempSubdirectory("nsqlookupd-tmpfs-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs -o {options} failed (this test needs root): {error}");
        }

        return new Tmpfs(path);
    }

    /// <summary>Writes a file until the file system is full; returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            return filler;
        }
    }

    public void Dispose()
    {
        _ = Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit(30_000);
        return (process.ExitCode, error);
    }
}
