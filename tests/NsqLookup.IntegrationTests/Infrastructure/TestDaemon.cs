using System.Net;
using Microsoft.Extensions.Logging;
using NsqLookup.Hosting;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>
/// The real daemon, in process, on 127.0.0.1:0 for both listeners, with its logs routed to the test output
/// and kept for assertions.
/// </summary>
public sealed class TestDaemon : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private TestDaemon(NsqLookupApp app, CapturingLoggerProvider logs)
    {
        App = app;
        Logs = logs;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{app.HttpEndPoint.Port}"), Timeout = Timeout };
    }

    public NsqLookupApp App { get; }

    public CapturingLoggerProvider Logs { get; }

    public HttpClient Http { get; }

    public IPEndPoint TcpEndPoint => new(IPAddress.Loopback, App.TcpEndPoint.Port);

    public int HttpPort => App.HttpEndPoint.Port;

    public static async Task<TestDaemon> StartAsync(
        ITestOutputHelper? output,
        Func<NsqLookupOptions, NsqLookupOptions>? configure = null,
        TimeProvider? time = null,
        Func<string, bool>? keepLogs = null)
    {
        var options = new NsqLookupOptions { TcpAddress = "127.0.0.1:0", HttpAddress = "127.0.0.1:0" };
        options = configure?.Invoke(options) ?? options;
        var logs = new CapturingLoggerProvider(output, keepLogs);
        var app = NsqLookupApp.Create(options, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(logs);
        }, time);
        await app.StartAsync().WaitAsync(Timeout);
        return new TestDaemon(app, logs);
    }

    /// <summary>A raw TCP connection to the daemon's TCP port.</summary>
    public Task<TestClient> ConnectAsync() => TestClient.ConnectAsync(TcpEndPoint);

    /// <summary>Connects, sends the magic and a valid IDENTIFY (the "identified connection" of docs/protocol.md,
    /// "Statement numbers in test names").</summary>
    public async Task<TestClient> ConnectIdentifiedAsync(string? body = null)
    {
        var client = await ConnectAsync();
        await client.SendAsync(TestClient.Magic);
        await client.SendAsync(TestClient.Identify(body ?? TestClient.DefaultIdentifyBody));
        var frame = await client.ReadFrameAsync();
        if (!frame.StartsWith("{", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"IDENTIFY failed: {frame}");
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync().WaitAsync(Timeout);
        await App.DisposeAsync();
    }
}
