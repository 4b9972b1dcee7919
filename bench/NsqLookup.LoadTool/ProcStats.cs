using System.Globalization;

namespace NsqLookup.LoadTool;

/// <summary>
/// CPU time and resident memory of another process, from <c>/proc/&lt;pid&gt;/stat</c> and <c>/proc/&lt;pid&gt;/status</c>.
/// The daemon is a separate process, so this is the only view of its cost.
/// </summary>
internal sealed class ProcStats(int pid)
{
    // /proc reports utime/stime in USER_HZ, which the kernel ABI fixes at 100 on Linux.
    private const double MicrosPerTick = 1_000_000.0 / 100;

    public int Pid { get; } = pid;

    /// <summary>utime + stime of all threads, in microseconds.</summary>
    public double CpuMicros()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // The command name (field 2) may hold spaces; fields after the last ')' are space-separated.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (15) is fields[12].
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * MicrosPerTick;
    }

    /// <summary>VmRSS in bytes.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no VmRSS in /proc/{Pid}/status");
    }
}
