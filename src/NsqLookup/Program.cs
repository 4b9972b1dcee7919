using NsqLookup.Cli;
using NsqLookup.Logging;

namespace NsqLookup;

/// <summary>apps/nsqlookupd/main.go: parse flags → version → options → log the version → bind TCP, then HTTP →
/// serve until SIGINT/SIGTERM. Exit 0 on a normal stop, 1 when a listener fails, 2 on a flag error.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (CommandLine.TryParse(args, Console.Out, Console.Error, out var parsed) is { } exitCode)
        {
            return exitCode;
        }

        var options = parsed.Options;
        if (options.LogLevel <= LogLevel.Information)
        {
            GoLog.WriteLine(Console.Error, options.LogPrefix, LogLevel.Information, BuildInfo.VersionLine);
        }

        NsqLookupApp app;
        try
        {
            app = NsqLookupApp.Create(options, logging => logging.AddGoLog(options));
        }
        catch (ListenFailedException ex)
        {
            GoLog.Fatal(Console.Error, $"failed to instantiate nsqlookupd - {ex.Message}");
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync().ConfigureAwait(false);
            }
            catch (ListenFailedException ex)
            {
                GoLog.Fatal(Console.Error, $"failed to instantiate nsqlookupd - {ex.Message}");
                return 1;
            }

            await app.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
