using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Deploy;

/// <summary>
/// The podman CLI with a <c>containers.conf</c> of the tests' own (through <c>CONTAINERS_CONF</c>; nothing under /etc
/// is edited). This VM's hybrid cgroups reject podman's default OCI runtime (crun), so it names runc; and root here
/// lacks CAP_SYS_RESOURCE, so the default ulimits are ones a container may set without it.
/// </summary>
internal sealed class Podman : IDisposable
{
    public const string ConfText = """
        [containers]
        default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

        [engine]
        runtime = "runc"
        """;

    private readonly string _dir;

    public Podman()
    {
        Executable = Find("podman") ?? throw new InvalidOperationException(
            "podman is not installed: the image tests build and run the Dockerfile with a real engine " +
            "(apt-get install podman runc mmdebstrap; .ci/run does)");
        _dir = Path.Combine(Path.GetTempPath(), "nsqlookupd-podman-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        ConfPath = Path.Combine(_dir, "containers.conf");
        File.WriteAllText(ConfPath, ConfText + "\n");
        Environment = new Dictionary<string, string> { ["CONTAINERS_CONF"] = ConfPath };
    }

    public string Executable { get; }

    public string ConfPath { get; }

    public IDictionary<string, string> Environment { get; }

    /// <summary>Runs <c>podman ARGS</c> to its end (killed after <paramref name="timeout"/>).</summary>
    public async Task<ProcessRunner.Result> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using var process = Start(args);
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"podman {string.Join(' ', args)} did not finish within {timeout}: {process.StdErr}");
        }

        return new ProcessRunner.Result(exitCode, process.StdOut, process.StdErr);
    }

    /// <summary>Runs it and throws with its output unless it exits 0; returns its standard output.</summary>
    public async Task<string> CheckAsync(TimeSpan timeout, params string[] args)
    {
        var result = await RunAsync(timeout, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"podman {string.Join(' ', args)} exited {result.ExitCode}: {result.StdErr}{result.StdOut}");
        }

        return result.StdOut;
    }

    /// <summary>Starts <c>podman ARGS</c> (e.g. an attached <c>run</c>, whose output is the container's).</summary>
    public ProcessRunner.Running Start(params string[] args) => new(Executable, args, null, Environment);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string? Find(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
