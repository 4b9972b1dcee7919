using System.Runtime.InteropServices;

namespace NsqLookup.Hosting;

/// <summary>
/// The open-file limit (RLIMIT_NOFILE) against the two connection caps. At startup the soft limit is raised to the hard
/// one, as Go's runtime does since 1.19 and CoreCLR's PAL does, but native AOT does not (dotnet/runtime#82719); then, if
/// <c>--max-tcp-connections</c> plus <c>--http-max-connections</c> exceed the limit, a WARNING says so: saturated
/// listeners would then run the process out of descriptors, where each listener's cap is meant to refuse first. Linux
/// and macOS only, like the daemon; elsewhere, or when the limit cannot be read, nothing is checked.
/// </summary>
internal static partial class DescriptorLimit
{
    private const ulong Infinity = ulong.MaxValue;

    /// <summary>Raises the soft limit to the hard one and warns when the caps together exceed it.</summary>
    public static void Check(NsqLookupOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (!TryGet(out var limit))
        {
            return;
        }

        if (limit.Current < limit.Max)
        {
            var raised = limit with { Current = limit.Max };
            if (SetRLimit(Resource, ref raised) == 0)
            {
                Log.Raised(logger, Text(limit.Current), Text(raised.Current));
                limit = raised;
            }
            else
            {
                Log.NotRaised(logger, Text(limit.Current), Text(limit.Max), Marshal.GetLastPInvokeError());
            }
        }

        // A cap of 0 is "no limit": the operator chose to be bounded by the descriptors alone.
        if (options.MaxTcpConnections == 0 || options.HttpMaxConnections == 0 || limit.Current == Infinity)
        {
            return;
        }

        var total = (ulong)options.MaxTcpConnections + (ulong)options.HttpMaxConnections;
        if (total > limit.Current)
        {
            Log.CapsOverLimit(logger, options.MaxTcpConnections, options.HttpMaxConnections, Text(limit.Current));
        }
    }

    private static bool TryGet(out RLimit limit)
    {
        limit = default;
        return Resource >= 0 && GetRLimit(Resource, out limit) == 0;
    }

    private static int Resource => OperatingSystem.IsLinux() ? 7 : OperatingSystem.IsMacOS() ? 8 : -1;

    private static string Text(ulong value) => value == Infinity ? "unlimited" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, ref RLimit limit);

    /// <summary><c>struct rlimit</c>: two <c>rlim_t</c> (64-bit on the 64-bit targets the daemon ships for).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private record struct RLimit(ulong Current, ulong Max);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "raised the open-file limit from {From} to its hard limit {To}")]
        public static partial void Raised(ILogger logger, string from, string to);

        [LoggerMessage(LogLevel.Debug, "could not raise the open-file limit from {From} to its hard limit {To} (errno {Errno})")]
        public static partial void NotRaised(ILogger logger, string from, string to, int errno);

        [LoggerMessage(LogLevel.Warning, "--max-tcp-connections ({Tcp}) plus --http-max-connections ({Http}) exceed the open-file limit ({Limit}): saturated listeners would run out of descriptors before their caps refuse; lower the caps or raise the limit (ulimit -n, LimitNOFILE=)")]
        public static partial void CapsOverLimit(ILogger logger, int tcp, int http, string limit);
    }
}
