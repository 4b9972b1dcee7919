using System.Runtime.InteropServices;

namespace NsqLookup.Persistence;

/// <summary>
/// fsync of a directory, so that a rename or a newly created file inside it survives a power loss. .NET cannot
/// open a directory as a file (<c>File.OpenHandle</c> refuses one), hence three libc calls; source-generated
/// (<c>LibraryImport</c>), so native AOT needs nothing at run time. Linux and macOS only, like the daemon's
/// deployment; elsewhere it does nothing.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    public static void Fsync(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"open {directory}: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (FsyncFd(fd) != 0)
            {
                throw new IOException($"fsync {directory}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncFd(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
