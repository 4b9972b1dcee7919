using NsqLookup.Cli;
using NsqLookup.Logging;
using NsqLookup.Persistence;

namespace NsqLookup;

/// <summary>apps/nsqlookupd/main.go: parse flags → version → load and validate the config file → resolve options →
/// log the version → replay --data-path → bind TCP, then HTTP → serve until SIGINT/SIGTERM. Exit 0 on a normal stop, 1 on a config error
/// when a listener fails or the data path cannot be used, 2 on a flag error.</summary>
internal static class Program
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> Main(string[] args)
    {
        // Run socket completions on the epoll thread instead of queueing them to the thread pool: a REGISTER's
        // few microseconds of work then never wait behind HTTP work items (REGISTER p99 under a /nodes flood
        // 117 ms → 7 ms, registration throughput ×1.7; bench/RESULTS.md). Kestrel still hands HTTP requests to
        // the thread pool. Must be set before the first socket is used; an operator's own setting wins
        // (=0 turns it off).
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }

        if (CommandLine.TryParse(args, Console.Out, Console.Error, out var parsed) is { } exitCode)
        {
            return exitCode;
        }

        if (ConfigFile.TryResolve(parsed, Console.Error, out var options) is { } configExitCode)
        {
            return configExitCode;
        }

        if (options.LogLevel <= LogLevel.Information)
        {
            GoLog.WriteLine(Console.Error, options.LogFormat, options.LogPrefix, LogLevel.Information, BuildInfo.VersionLine);
        }

        // The process is the daemon's alone: give the startup's garbage back once the listeners are up.
        options = options with { TrimAfterStart = true };
        NsqLookupApp app;
        try
        {
            app = NsqLookupApp.Create(options, logging => logging.AddGoLog(options));
        }
        catch (ListenFailedException ex)
        {
            Fatal(options, $"failed to instantiate nsqlookupd - {ex.Message}");
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ListenFailedException or DataPathException)
            {
                Fatal(options, $"failed to instantiate nsqlookupd - {ex.Message}");
                return 1;
            }

            await app.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return 0;
    }

    // The original's fixed "[nsqlookupd] " FATAL line; a JSON object instead with --log-format=json.
    private static void Fatal(NsqLookupOptions options, string message)
    {
        if (options.LogFormat == LogFormat.Json)
            GoLog.WriteLine(Console.Error, LogFormat.Json, GoLog.FixedPrefix, LogLevel.Critical, message);
        else
            GoLog.Fatal(Console.Error, message);
    }
}
