using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Tcp;

/// <summary>At stop the TCP server shuts every client socket down (its read ends as an EOF, no aborted read), and
/// the ending is logged as the Go original's Exit makes its clients log it: a read on a closed connection.</summary>
public sealed class ShutdownCloseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AtStop_EachClientEnds_AsAReadOnAConnectionTheServerClosed()
    {
        var daemon = await TestDaemon.StartAsync(output);
        await using var identified = await daemon.ConnectIdentifiedAsync();
        (await identified.CommandAsync("REGISTER t c\n")).Should().Be("OK");
        await using var silent = await daemon.ConnectAsync(); // never sends the magic
        var tcp = $"127.0.0.1:{daemon.TcpEndPoint.Port}";
        await Eventually.TrueAsync(() => Task.FromResult(daemon.Logs.Lines.Count(l => l.Contains("TCP: new client(", StringComparison.Ordinal)) == 2));

        await daemon.DisposeAsync();

        daemon.Logs.Lines.Should().Contain(
            $"ERROR: client({identified.LocalAddress}) - read tcp {tcp}->{identified.LocalAddress}: use of closed network connection");
        daemon.Logs.Lines.Should().Contain(
            $"ERROR: failed to read protocol version - read tcp {tcp}->{silent.LocalAddress}: use of closed network connection");
        daemon.Logs.Lines.Should().NotContain(l => l.Contains("transport connection", StringComparison.Ordinal));
    }
}
