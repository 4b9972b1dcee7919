using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NsqLookup.IntegrationTests.Metrics;

/// <summary>
/// A loopback HTTP endpoint that answers every request with the daemon's <c>/metrics</c> fetched with
/// <c>Accept: text/plain;version=0.0.4</c>. Prometheus 2.42 always asks for OpenMetrics first and has no setting to
/// ask for text alone (<c>scrape_protocols</c> came in 2.49), so a scrape job pointed here is how a real server
/// ingests the text exposition. It records the <c>Accept</c> header of each scrape and the content type served.
/// </summary>
public sealed class TextFormatProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly HttpClient _daemon;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<(string Accept, string ContentType)> _scrapes = [];

    public TextFormatProxy(int daemonHttpPort)
    {
        _daemon = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{daemonHttpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<(string Accept, string ContentType)> Scrapes
    {
        get
        {
            lock (_scrapes)
            {
                return [.. _scrapes];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _daemon.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await using var stream = new NetworkStream(socket);
                var head = await ReadHeadAsync(stream);
                var accept = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Accept:", StringComparison.OrdinalIgnoreCase))?[7..].Trim() ?? "";
                using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
                request.Headers.TryAddWithoutValidation("Accept", "text/plain;version=0.0.4");
                using var reply = await _daemon.SendAsync(request, _stop.Token);
                var body = await reply.Content.ReadAsByteArrayAsync(_stop.Token);
                var contentType = reply.Content.Headers.ContentType?.ToString() ?? "";
                lock (_scrapes)
                {
                    _scrapes.Add((accept, contentType));
                }

                var header = $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or HttpRequestException)
            {
                // The scraper went away or the test is over; Prometheus records a failed scrape.
            }
        }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (head.Length < 64 * 1024 && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, _stop.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10), _stop.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString();
    }
}
