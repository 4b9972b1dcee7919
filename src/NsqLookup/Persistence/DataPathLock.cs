namespace NsqLookup.Persistence;

/// <summary>
/// <c>nsqlookupd.lock</c> in the data path, held open for the daemon's lifetime so a second daemon on the same
/// directory is refused, as nsqd refuses a shared <c>--data-path</c>. On Unix .NET turns <see cref="FileShare.None"/>
/// into an advisory <c>flock(LOCK_EX | LOCK_NB)</c>, so the lock is per open file, released by the kernel when the
/// process dies (even on SIGKILL), and leaves no stale-lock cleanup to do. The file itself is never deleted:
/// deleting a flock'd file lets a third process lock a new inode while the second still holds the old one.
/// </summary>
internal sealed class DataPathLock : IDisposable
{
    public const string FileName = "nsqlookupd.lock";

    private readonly FileStream _stream;

    private DataPathLock(FileStream stream) => _stream = stream;

    public static DataPathLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return new DataPathLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataPathException(
                $"--data-path={directory} in use (possibly by another instance of nsqlookupd)", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DataPathException($"--data-path={directory}: cannot open {path}: {ex.Message}", ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
