using System.Diagnostics;
using System.Text;

namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>Runs an external program with a deadline, collecting its output; kills it (and only it) on timeout.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> args, string? workingDirectory, TimeSpan timeout)
    {
        var info = StartInfo(fileName, args, workingDirectory, null);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args, string? workingDirectory, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>A started process whose output lines are collected as they arrive.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _err = new();

        public Running(string fileName, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
        {
            var info = StartInfo(fileName, args, workingDirectory, environment);
            Process = new Process { StartInfo = info };
            Process.OutputDataReceived += (_, e) => Append(_out, e.Data);
            Process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
            Process.Start();
            Process.StandardInput.Close();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string StdOut
        {
            get
            {
                lock (_out)
                {
                    return _out.ToString();
                }
            }
        }

        public string StdErr
        {
            get
            {
                lock (_err)
                {
                    return _err.ToString();
                }
            }
        }

        /// <summary>Polls until <paramref name="condition"/> holds or the timeout passes.</summary>
        public async Task<bool> WaitForAsync(Func<Running, bool> condition, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (condition(this))
                {
                    return true;
                }

                await Task.Delay(20);
            }

            return condition(this);
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            await Process.WaitForExitAsync().WaitAsync(timeout);
            Process.WaitForExit();
            return Process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            Process.Dispose();
        }

        private static void Append(StringBuilder sb, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (sb)
            {
                sb.AppendLine(line);
            }
        }
    }
}
