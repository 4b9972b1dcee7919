using NsqLookup.Cli;
using NsqLookup.Hosting;
using NsqLookup.Logging;
using NsqLookup.Persistence;

namespace NsqLookup;

/// <summary>apps/nsqlookupd/main.go: parse flags → version → load and validate the config file → resolve options →
/// log the version → replay --data-path → bind TCP, then HTTP → serve until SIGINT/SIGTERM. Exit 0 on a normal stop, 1 on a config error
/// when a listener fails or the data path cannot be used, 2 on a flag error.</summary>
internal static class Program
{
    // How long the exit waits for queued log lines to be written (a blocked stderr must not hold it for ever).
    private static readonly TimeSpan ExitFlushTimeout = TimeSpan.FromSeconds(2);

    public static async Task<int> Main(string[] args)
    {
        if (CommandLine.TryParse(args, Console.Out, Console.Error, out var parsed) is { } exitCode)
        {
            return exitCode;
        }

        if (ConfigFile.TryResolve(parsed, Console.Error, out var options) is { } configExitCode)
        {
            return configExitCode;
        }

        // From here on every line goes through one bounded queue and its writer thread: a stderr nobody reads drops
        // lines (counted) instead of freezing the daemon. At exit the queue is written out, within a bound.
        using var sink = GoLogLoggingBuilderExtensions.StandardErrorSink(options);
        try
        {
            return await RunAsync(options, sink).ConfigureAwait(false);
        }
        finally
        {
            sink.Flush(ExitFlushTimeout);
        }
    }

    private static async Task<int> RunAsync(NsqLookupOptions options, LogSink sink)
    {
        if (options.LogLevel <= LogLevel.Information)
        {
            Log(options, sink, options.LogPrefix, LogLevel.Information, BuildInfo.VersionLine);
        }

        // The process is the daemon's alone: give the startup's garbage back once the listeners are up.
        options = options with { TrimAfterStart = true };
        NsqLookupApp app;
        try
        {
            app = NsqLookupApp.Create(options, logging => logging.AddGoLog(options, sink));
        }
        catch (ListenFailedException ex)
        {
            Fatal(options, sink, $"failed to instantiate nsqlookupd - {ex.Message}");
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
                Fatal(options, sink, $"failed to instantiate nsqlookupd - {ex.Message}");
                return 1;
            }

            await app.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return 0;
    }

    // The original's fixed "[nsqlookupd] " FATAL line; a JSON object instead with --log-format=json.
    private static void Fatal(NsqLookupOptions options, LogSink sink, string message) =>
        Log(options, sink, GoLog.FixedPrefix, LogLevel.Critical, message);

    private static void Log(NsqLookupOptions options, LogSink sink, string prefix, LogLevel level, string message) =>
        sink.Write(GoLog.FormatLine(options.LogFormat, prefix, TimeProvider.System.GetLocalNow(), level, "NsqLookup", message));
}
