using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NsqLookup.Persistence;

/// <summary>
/// A file's identity (device and inode) and link count, from <c>statx(2)</c>, whose buffer layout is the same on
/// every Linux architecture (glibc 2.28 and later, musl 1.2.5 and later). .NET exposes no inode, hence the call;
/// source-generated (<c>LibraryImport</c>), so native AOT needs nothing at run time. Elsewhere, or on a C library
/// without <c>statx</c>, <see cref="IsSupported"/> is false and the checks built on it are skipped.
/// </summary>
internal readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;
    private const uint StatxNlink = 0x4;
    private const int BufferSize = 256;
    private static readonly Lazy<bool> Supported = new(Probe);

    public static bool IsSupported => Supported.Value;

    /// <summary>The identity of what <paramref name="path"/> names now (symlinks followed); null when nothing does.</summary>
    public static FileIdentity? OfPath(string path)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        return Statx(AtFdCwd, path, 0, StatxIno, buffer) == 0 ? Read(buffer) : null;
    }

    /// <summary>The identity of the open file and its link count (0 once it has been deleted).</summary>
    public static (FileIdentity Identity, uint Links) Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Span<byte> buffer = stackalloc byte[BufferSize];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxIno | StatxNlink, buffer) != 0)
            {
                throw new IOException($"statx of an open file: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return (Read(buffer), BinaryPrimitives.ReadUInt32LittleEndian(buffer[16..]));
    }

    public override string ToString() => $"{Device >> 32}:{Device & uint.MaxValue} inode {Inode}";

    // struct statx: stx_nlink (u32) at 16, stx_ino (u64) at 32, stx_dev_major and stx_dev_minor (u32) at 136 and 140.
    private static FileIdentity Read(ReadOnlySpan<byte> buffer) => new(
        ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]),
        BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]));

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !BitConverter.IsLittleEndian)
        {
            return false;
        }

        try
        {
            return OfPath("/") is not null;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    private static int Statx(int directoryFd, string path, int flags, uint mask, Span<byte> buffer)
    {
        unsafe
        {
            fixed (byte* p = buffer)
            {
                return StatxNative(directoryFd, path, flags, mask, p);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
