using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Metrics;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package) on a free loopback port, with its own config and a
/// temporary data directory. Ready when <c>/-/ready</c> answers 200; stopped by killing the process it started.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Http { get; }

    public string Directory { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Writes <paramref name="config"/> (prometheus.yml) to a new temporary directory and starts the server
    /// there; a port taken between choosing and binding is retried with another.</summary>
    public static async Task<PrometheusServer> StartAsync(string config)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("nsqlookup-prometheus-").FullName;
        File.WriteAllText(Path.Combine(directory, "prometheus.yml"), config);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo("prometheus")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            foreach (var arg in new[]
            {
                "--config.file=" + Path.Combine(directory, "prometheus.yml"),
                "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--log.level=warn",
            })
            {
                info.ArgumentList.Add(arg);
            }

            var server = new PrometheusServer(Process.Start(info) ?? throw new InvalidOperationException("cannot start prometheus"), directory, port);
            if (await server.WaitReadyAsync())
            {
                return server;
            }

            var log = server.Log;
            await server.DisposeAsync(keepDirectory: true);
            if (attempt == 3 || !log.Contains("address already in use", StringComparison.Ordinal))
            {
                System.IO.Directory.Delete(directory, recursive: true);
                throw new InvalidOperationException("prometheus did not become ready:\n" + log);
            }
        }
    }

    /// <summary>GET an API path; the <c>data</c> member of a <c>"status": "success"</c> answer.</summary>
    public async Task<JsonElement> ApiAsync(string pathAndQuery)
    {
        using var reply = await Http.GetAsync(pathAndQuery).WaitAsync(Timeout);
        var text = await reply.Content.ReadAsStringAsync().WaitAsync(Timeout);
        using var json = JsonDocument.Parse(text);
        json.RootElement.GetProperty("status").GetString().Should().Be("success", $"{pathAndQuery} answered {text}");
        return json.RootElement.GetProperty("data").Clone();
    }

    /// <summary>An instant query's result vector (or scalar as a one-element array).</summary>
    public async Task<JsonElement[]> QueryAsync(string promql)
    {
        var data = await ApiAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        var result = data.GetProperty("result");
        return data.GetProperty("resultType").GetString() switch
        {
            "vector" or "matrix" => [.. result.EnumerateArray()],
            _ => [result],
        };
    }

    /// <summary>The single value of an instant query that must return exactly one series. A scrape that failed
    /// (a loaded machine can miss the 1 s scrape timeout) marks its series stale until the next one, so an empty answer
    /// is asked again, within <see cref="Timeout"/>.</summary>
    public async Task<double> ValueAsync(string promql)
    {
        JsonElement[] result = [];
        try
        {
            await Eventually.TrueAsync(async () => (result = await QueryAsync(promql)).Length > 0, Timeout);
        }
        catch (TimeoutException)
        {
        }

        result.Should().ContainSingle($"{promql} returns one series");
        var value = result[0].GetProperty("value")[1].GetString()!;
        return double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => DisposeAsync(keepDirectory: false);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task<bool> WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var reply = await Http.GetAsync("/-/ready");
                if (reply.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50); // the poll interval: /-/ready is the signal being waited on
        }

        return false;
    }

    private async ValueTask DisposeAsync(bool keepDirectory)
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(); // the process this class started, by its PID
            await _process.WaitForExitAsync().WaitAsync(TestDaemon.Timeout);
        }

        _process.Dispose();
        if (!keepDirectory)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
