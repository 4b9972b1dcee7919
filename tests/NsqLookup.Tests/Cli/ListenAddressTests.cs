using System.Net;
using System.Net.Sockets;
using NsqLookup.Cli;

namespace NsqLookup.Tests.Cli;

/// <summary>Listen addresses parsed the way Go parses them, against a fake resolver; the dual-stack socket they create
/// is tested on a real socket in the integration tests (<c>DualModeSocketTests</c>).</summary>
public sealed class ListenAddressTests
{
    private static IPAddress[] Hosts(string host) => host switch
    {
        "localhost" => [IPAddress.IPv6Loopback, IPAddress.Loopback],
        "v6only.example" => [IPAddress.Parse("2001:db8::1")],
        "nothing.example" => [],
        _ => throw new SocketException((int)SocketError.HostNotFound),
    };

    private static ListenAddress Parse(string text)
    {
        ListenAddress.TryParse(text, Hosts, out var result, out var error).Should().BeTrue(error);
        return result!;
    }

    [Theory] // a wildcard binds dual-stack [::] like Go (T119)
    [InlineData(":4160", 4160)]
    [InlineData("0.0.0.0:4160", 4160)]
    [InlineData("[::]:0", 0)]
    [InlineData("0.0.0.0:", 0)]
    public void Wildcard_BindsIpv6AnyDualMode(string text, int port)
    {
        var a = Parse(text);
        a.Text.Should().Be(text);
        a.EndPoint.Port.Should().Be(port);
        if (Socket.OSSupportsIPv6)
        {
            a.EndPoint.Address.Should().Be(IPAddress.IPv6Any);
            a.DualMode.Should().BeTrue();
            GoAddress.Format(a.EndPoint).Should().Be($"[::]:{port}");
        }
        else
        {
            a.EndPoint.Address.Should().Be(IPAddress.Any);
        }
    }

    [Theory]
    [InlineData("127.0.0.1:4160", "127.0.0.1", 4160)]
    [InlineData("[::1]:65535", "::1", 65535)]
    [InlineData("10.1.2.3:+80", "10.1.2.3", 80)]
    [InlineData("localhost:4161", "127.0.0.1", 4161)]
    [InlineData("v6only.example:1", "2001:db8::1", 1)]
    public void LiteralsAndHostnames_BindOneAddress(string text, string address, int port)
    {
        var a = Parse(text);
        a.EndPoint.Should().Be(new IPEndPoint(IPAddress.Parse(address), port));
        a.DualMode.Should().BeFalse();
    }

    [Theory]
    [InlineData("127.0.0.1", "address 127.0.0.1: missing port in address")]
    [InlineData("::1:4160", "address ::1:4160: too many colons in address")]
    [InlineData("[::1]", "address [::1]: missing port in address")]
    [InlineData("[::1:4160", "address [::1:4160: missing ']' in address")]
    [InlineData("[::1]x:1", "address [::1]x:1: missing port in address")]
    [InlineData("[::1]:1:2", "address [::1]:1:2: too many colons in address")]
    [InlineData("a]:1", "address a]:1: unexpected ']' in address")]
    [InlineData("127.0.0.1:65536", "address 65536: invalid port")]
    [InlineData("127.0.0.1:-1", "address -1: invalid port")]
    [InlineData("127.0.0.1:http", "lookup tcp/http: unknown port")]
    [InlineData("nothing.example:1", "lookup nothing.example: no such host")]
    public void BadAddresses_GiveGoStyleErrors(string text, string expected)
    {
        ListenAddress.TryParse(text, Hosts, out var result, out var error).Should().BeFalse();
        result.Should().BeNull();
        error.Should().Be(expected);
    }

    [Fact]
    public void ResolverFailures_BecomeLookupErrors()
    {
        ListenAddress.TryParse("unknown.example:1", Hosts, out _, out var error).Should().BeFalse();
        error.Should().StartWith("lookup unknown.example: ");
    }

    [Fact]
    public void Parse_ThrowsFormatExceptionWithTheMessage() =>
        FluentActions.Invoking(() => ListenAddress.Parse("nope")).Should()
            .Throw<FormatException>().WithMessage("address nope: missing port in address");
}
