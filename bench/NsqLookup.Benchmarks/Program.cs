using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NsqLookup.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/NsqLookup.Benchmarks -- --filter '*'</c>, plus any BenchmarkDotNet flags.
/// Without <c>--job</c> it runs BenchmarkDotNet's short job in process: its generated project would inherit the
/// repository's central package management and warnings-as-errors, and a short job fits a small shared machine.
/// With <c>--job</c>, add <c>--inProcess</c> for the same reason.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance;
        if (!args.Any(a => a is "-j" or "--job" || a.StartsWith("--job=", StringComparison.Ordinal)))
        {
            config = config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
