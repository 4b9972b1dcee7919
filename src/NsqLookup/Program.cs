using NsqLookup.Cli;

namespace NsqLookup;

internal static class Program
{
    public static int Main(string[] args)
    {
        if (CommandLine.TryParse(args, Console.Out, Console.Error, out _) is { } exitCode)
            return exitCode;

        // The host (config file, listeners) is wired in separately.
        return 0;
    }
}
