using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace NsqLookup.Persistence;

/// <summary>
/// <c>nsqlookupd.lock</c> in the data path, held open for the daemon's lifetime so a second daemon on the same
/// directory is refused, as nsqd refuses a shared <c>--data-path</c>. On Unix .NET turns <see cref="FileShare.None"/>
/// into an advisory <c>flock(LOCK_EX | LOCK_NB)</c>, so the lock is per open file, released by the kernel when the
/// process dies (even on SIGKILL), and leaves no stale-lock cleanup to do. The file itself is never deleted:
/// deleting a flock'd file lets a third process lock a new inode while the second still holds the old one.
/// <para>
/// A lock file dies with its directory: after <c>rm -rf DIR; mkdir DIR</c> a second daemon would find a new,
/// unlocked file. So on Linux the daemon also binds an abstract Unix socket named after the directory's place (the
/// parent directory's device and inode, and the directory's name), which no file operation removes; a second
/// daemon on a deleted and re-created directory fails to bind it and exits. Abstract sockets belong to a network
/// namespace: two daemons in different containers on a shared volume are kept apart by the flock alone.
/// </para>
/// </summary>
internal sealed class DataPathLock : IDisposable
{
    public const string FileName = "nsqlookupd.lock";

    private readonly FileStream _stream;
    private readonly Socket? _place;

    private DataPathLock(FileStream stream, Socket? place)
    {
        _stream = stream;
        _place = place;
    }

    public static DataPathLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);

        // The place first, so that a daemon kept out by it leaves no lock file in a directory that is not its own.
        var place = BindPlace(directory, path);
        try
        {
            return new DataPathLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), place);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            place?.Dispose();
            throw IsLockedByAnother(path) ? InUse(directory, ex) : NotWritable(directory, path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            place?.Dispose();
            throw NotWritable(directory, path, ex);
        }
        catch
        {
            place?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _place?.Dispose();
        _stream.Dispose();
    }

    /// <summary>After a failed exclusive open: whether the file opens for reading (a shared lock), i.e. whether it
    /// failed because another process holds the lock rather than because the directory cannot be written.</summary>
    private static bool IsLockedByAnother(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static DataPathException InUse(string directory, Exception ex) =>
        new($"--data-path={directory} in use (possibly by another instance of nsqlookupd)", ex);

    private static DataPathException NotWritable(string directory, string path, Exception ex) =>
        new($"--data-path={directory} cannot be written (read-only file system or no permission): cannot open {path} - {ex.Message}", ex);

    /// <summary>The abstract socket that keeps the directory's place (see the class summary); null where there is
    /// no such thing (not Linux, or the parent cannot be identified).</summary>
    private static Socket? BindPlace(string directory, string lockPath)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var parent = Path.GetDirectoryName(full);
        if (!FileIdentity.IsSupported || parent is null || FileIdentity.OfPath(parent) is not { } identity)
        {
            return null;
        }

        var place = $"{identity.Device}:{identity.Inode}/{Path.GetFileName(full)}";
        var name = "\0nsqlookupd-data-path-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(place)))[..32];
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(name));
            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw IsLockedByAnother(lockPath)
                ? InUse(directory, ex)
                : new DataPathException(
                    $"--data-path={directory} in use by another instance of nsqlookupd that opened it before it was deleted or replaced; stop that daemon first", ex);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
