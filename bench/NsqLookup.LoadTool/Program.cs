using System.Text.Json;

namespace NsqLookup.LoadTool;

/// <summary>Entry point: run the scenarios (<see cref="LoadRun"/>) or summarise runs (<see cref="Report"/>).</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Socket continuations on the epoll thread, not a pool hop each: the simulated nsqd's many small writes and
        // reads then cost the tool's one core less, so the tool can offer more REGISTERs a second. Before any socket.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        try
        {
            if (args is ["report", .. var rest])
            {
                return Report.Run(rest, Console.Out);
            }

            if (args is ["admin", .. var adminArgs])
            {
                return await AdminLoad.RunAsync(adminArgs, Console.Out);
            }

            if (args is ["journal", .. var journalArgs])
            {
                return JournalFile.Run(journalArgs, Console.Out);
            }

            if (args is ["-h" or "--help" or "help", ..])
            {
                Console.Out.WriteLine(LoadOptions.Usage);
                return 0;
            }

            var options = LoadOptions.Parse(args);
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            var result = await LoadRun.RunAsync(options, Console.Out, stop.Token);
            if (options.JsonPath is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, ResultsJsonContext.Default.RunResult), stop.Token);
            }

            Console.Out.Write(Report.Markdown([result], commit: null, machine: false));
            return 0;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(LoadOptions.Usage);
            return 2;
        }
    }
}
