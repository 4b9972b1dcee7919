using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests;

public sealed class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Daemon_StartsOnPortZeroAndReportsRealPorts()
    {
        await using var daemon = await TestDaemon.StartAsync(output);
        daemon.TcpEndPoint.Port.Should().BePositive();
        daemon.HttpPort.Should().BePositive();
        daemon.App.Identity.TcpPort.Should().Be(daemon.TcpEndPoint.Port);
        daemon.App.Identity.HttpPort.Should().Be(daemon.HttpPort);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("  V2");
        (await client.ReadFrameAsync()).Should().Be("E_BAD_PROTOCOL");
    }
}
