using System.Globalization;
using System.Runtime.InteropServices;

namespace NsqLookup.Memory;

/// <summary>
/// Drops the process's clean file-backed pages from its page table once the startup is over, and after each quiet-time
/// trim (Linux). The native binary's code and read-only data are mapped from its file, as are libc's and libm's, and
/// the startup runs code and reads metadata scattered all over them; the kernel maps each faulted page's neighbours
/// (and, on a filesystem with large folios, the whole folio) too, so ~8 MB of file pages stayed resident of which little
/// is used again (bench/FOOTPRINT.md). <c>madvise(MADV_DONTNEED)</c> on a private file mapping only unmaps the pages:
/// they stay in the page cache (reclaimable, shared with other processes using the file), and the next access maps
/// them back with a minor fault. That is what the kernel's own reclaim may do to such pages at any time, so it risks
/// nothing new. Only private, non-writable mappings of a file that hold no anonymous (copy-on-write) page are
/// touched: no byte the process wrote (relocations, say) is ever discarded.
/// </summary>
internal static partial class ImagePages
{
    private const int DontNeed = 4; // MADV_DONTNEED

    /// <summary>Drops the clean file pages; returns the bytes that were resident in them (0 off Linux or on any
    /// failure: this is an optimisation, never an error).</summary>
    public static long Release()
    {
        // The native binary only: a JIT process keeps loading and relocating assemblies' images while it runs, and
        // a mapping written after the snapshot below must never be dropped.
        if (!OperatingSystem.IsLinux() || JitPresence.InThisProcess)
        {
            return 0;
        }

        string smaps;
        try
        {
            smaps = File.ReadAllText("/proc/self/smaps");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        long released = 0;
        foreach (var mapping in CleanMappings(smaps))
        {
            if (Advise((nint)mapping.Start, (nuint)mapping.Length, DontNeed) == 0)
            {
                released += mapping.ResidentBytes;
            }
        }

        return released;
    }

    /// <summary>A mapping that can be dropped: its address range and how much of it is resident.</summary>
    internal readonly record struct Mapping(ulong Start, ulong Length, long ResidentBytes);

    /// <summary>The mappings in <paramref name="smaps"/> (the text of /proc/PID/smaps) of a file, private and not
    /// writable, that have resident pages and hold no anonymous or dirty page. Pure, for tests.</summary>
    internal static List<Mapping> CleanMappings(string smaps)
    {
        var found = new List<Mapping>();

        ulong start = 0, end = 0;
        bool candidate = false;
        long rss = 0, written = 0;

        void Close()
        {
            if (candidate && rss > 0 && written == 0)
            {
                found.Add(new Mapping(start, end - start, rss));
            }

            candidate = false;
        }

        foreach (var line in smaps.AsSpan().EnumerateLines())
        {
            if (TryHeader(line, out var s, out var e, out var cleanable, out var mapped))
            {
                Close();
                (start, end, rss, written) = (s, e, 0, 0);
                candidate = cleanable && mapped.StartsWith('/');
            }
            else if (candidate && Field(line, "Rss:") is { } r)
            {
                rss = r;
            }
            else if (candidate && (Field(line, "Anonymous:") ?? Field(line, "Private_Dirty:") ?? Field(line, "Shared_Dirty:")) is { } w)
            {
                written += w;
            }
        }

        Close();
        return found;
    }

    // "55ae183e6000-55ae18918000 r-xp 00011000 08:01 1234   /usr/local/bin/nsqlookupd"
    private static bool TryHeader(ReadOnlySpan<char> line, out ulong start, out ulong end, out bool cleanable, out ReadOnlySpan<char> path)
    {
        start = end = 0;
        cleanable = false;
        path = default;
        var dash = line.IndexOf('-');
        var space = line.IndexOf(' ');
        if (dash <= 0 || space <= dash
            || !ulong.TryParse(line[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out start)
            || !ulong.TryParse(line[(dash + 1)..space], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out end))
        {
            return false;
        }

        var rest = line[(space + 1)..];
        if (rest.Length < 4)
        {
            return false;
        }

        // Read-only and private: a shared mapping (a memfd's second view, say) is left alone.
        cleanable = rest[1] != 'w' && rest[3] == 'p';
        for (var field = 0; field < 4; field++) // perms, offset, device, inode
        {
            var gap = rest.IndexOf(' ');
            rest = gap < 0 ? default : rest[(gap + 1)..].TrimStart(' ');
        }

        path = rest.TrimEnd();
        return true;
    }

    // "Rss:                4360 kB" → bytes
    private static long? Field(ReadOnlySpan<char> line, string name)
    {
        if (!line.StartsWith(name, StringComparison.Ordinal))
        {
            return null;
        }

        var value = line[name.Length..].Trim();
        if (value.EndsWith(" kB", StringComparison.Ordinal))
        {
            value = value[..^3];
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Advise(nint address, nuint length, int advice);
}
