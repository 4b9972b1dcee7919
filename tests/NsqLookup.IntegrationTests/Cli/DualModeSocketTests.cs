using System.Net;
using System.Net.Sockets;
using NsqLookup.Cli;

namespace NsqLookup.IntegrationTests.Cli;

/// <summary>A wildcard listen address binds one dual-stack socket that IPv4 clients reach too.</summary>
public sealed class DualModeSocketTests
{
    private static ListenAddress Parse(string text)
    {
        ListenAddress.TryParse(text, _ => [], out var result, out var error).Should().BeTrue(error);
        return result!;
    }

    [Fact]
    public void DualModeSocket_AcceptsIpv4AndIpv6Clients()
    {
        if (!Socket.OSSupportsIPv6)
            return;
        using var listener = Parse("0.0.0.0:0").CreateSocket();
        listener.Bind(Parse("0.0.0.0:0").EndPoint);
        listener.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        GoAddress.Format(listener.LocalEndPoint).Should().Be($"[::]:{port}");

        using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        v4.Connect(IPAddress.Loopback, port);
        using var accepted = listener.Accept();
        GoAddress.Format(accepted.RemoteEndPoint).Should().StartWith("127.0.0.1:");
    }
}
