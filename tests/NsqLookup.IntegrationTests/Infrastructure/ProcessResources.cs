using System.Globalization;

namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>This test process's file descriptors and memory, as the flood and soak tests measure them (Linux).</summary>
public static class ProcessResources
{
    /// <summary>Open descriptors (<c>/proc/self/fd</c>), or -1 where that does not exist.</summary>
    public static int OpenDescriptors() =>
        Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : -1;

    /// <summary>Open sockets: what a connection leak would leave behind (other descriptors grow as assemblies load).</summary>
    public static int OpenSockets()
    {
        if (!Directory.Exists("/proc/self/fd"))
        {
            return -1;
        }

        var sockets = 0;
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                sockets += new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true ? 1 : 0;
            }
            catch (IOException)
            {
                // closed meanwhile
            }
        }

        return sockets;
    }

    /// <summary>The TCP ports another process listens on (Linux): its socket inodes (<c>/proc/PID/fd</c>) matched with
    /// the LISTEN rows of <c>/proc/net/tcp</c> and <c>tcp6</c>; for a daemon that logs no listening line.</summary>
    public static IReadOnlyList<int> ListeningPorts(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // closed meanwhile
            }
        }

        var ports = new List<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            // "sl local_address rem_address st ... inode": local "0100007F:1F90", state 0A is LISTEN, inode is field 9.
            foreach (var row in File.ReadLines(table).Skip(1))
            {
                var fields = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A" && inodes.Contains(fields[9]))
                {
                    ports.Add(int.Parse(fields[1][(fields[1].IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }

        return ports;
    }

    /// <summary>Open descriptors grouped by kind (<c>socket</c>, <c>pipe</c>, <c>anon_inode:[eventpoll]</c>, …), for
    /// explaining a difference.</summary>
    public static string DescribeDescriptors()
    {
        if (!Directory.Exists("/proc/self/fd"))
        {
            return "";
        }

        var kinds = new Dictionary<string, int>();
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            string kind;
            try
            {
                var target = new FileInfo(fd).LinkTarget ?? "?";
                kind = target.StartsWith('/') ? "file" : target.Split(':')[0];
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        return string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"));
    }

    /// <summary>The soft <c>RLIMIT_NOFILE</c> (from <c>/proc/self/limits</c>; .NET raises it to the hard limit at
    /// startup), or <see cref="int.MaxValue"/> where unknown.</summary>
    public static long DescriptorLimit()
    {
        if (!File.Exists("/proc/self/limits"))
        {
            return int.MaxValue;
        }

        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        return soft is null or "unlimited" ? int.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
    }

    /// <summary>Managed heap after a full collection.</summary>
    public static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Another process's resident memory (<c>VmRSS</c> in <c>/proc/PID/status</c>), in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
