using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>The built <c>nsqlookupd</c> binary run as a real process (flags, exit codes, logs, signals).</summary>
public static partial class DaemonProcess
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>The apphost built next to the daemon project, in the same configuration as these tests.</summary>
    public static string BinaryPath { get; } = FindBinary();

    public static ProcessRunner.Running Start(params string[] args) => new(BinaryPath, args);

    /// <summary>Starts another build of the daemon (e.g. the native AOT executable).</summary>
    public static ProcessRunner.Running StartAt(string binaryPath, params string[] args) => new(binaryPath, args);

    public static Task<ProcessRunner.Result> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync(BinaryPath, args, null, TimeSpan.FromSeconds(30));

    /// <summary>Waits for the "TCP/HTTP: listening on" lines and returns the two bound endpoints.</summary>
    public static async Task<(IPEndPoint Tcp, IPEndPoint Http)> WaitListeningAsync(ProcessRunner.Running daemon)
    {
        var ok = await daemon.WaitForAsync(
            d => ListeningTcp().IsMatch(d.StdErr) && ListeningHttp().IsMatch(d.StdErr), TimeSpan.FromSeconds(30));
        if (!ok)
        {
            throw new TimeoutException("daemon did not report both listeners: " + daemon.StdErr);
        }

        return (Parse(ListeningTcp().Match(daemon.StdErr)), Parse(ListeningHttp().Match(daemon.StdErr)));
    }

    public static void Signal(ProcessRunner.Running daemon, int signal) => Signal(daemon.Process.Id, signal);

    public static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    private static IPEndPoint Parse(Match m)
    {
        var port = int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var host = m.Groups["host"].Value.Trim('[', ']');
        var address = IPAddress.Parse(host);
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }

        return new IPEndPoint(address, port);
    }

    private static string FindBinary()
    {
        // tests/NsqLookup.IntegrationTests/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(RepoPaths.Root, "src", "NsqLookup", "bin", configuration, "net10.0", "nsqlookupd");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("the daemon binary was not built", path);
        }

        return path;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex(@"TCP: listening on (?<host>\[[^\]]+\]|[^:\s]+):(?<port>\d+)")]
    private static partial Regex ListeningTcp();

    [GeneratedRegex(@"HTTP: listening on (?<host>\[[^\]]+\]|[^:\s]+):(?<port>\d+)")]
    private static partial Regex ListeningHttp();
}
