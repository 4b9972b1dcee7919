using System.Net;

namespace NsqLookup.Core.Tests;

public sealed class GoAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", 5, "127.0.0.1:5")]
    [InlineData("::1", 5, "[::1]:5")]
    [InlineData("::", 4160, "[::]:4160")]
    [InlineData("0.0.0.0", 4161, "0.0.0.0:4161")]
    [InlineData("::ffff:10.1.2.3", 51258, "10.1.2.3:51258")]
    [InlineData("2001:db8::7", 65535, "[2001:db8::7]:65535")]
    public void FormatsLikeGo(string address, int port, string expected) =>
        GoAddress.Format(new IPEndPoint(IPAddress.Parse(address), port)).Should().Be(expected);

    [Fact]
    public void Ipv6Any_PrintsBracketed() =>
        GoAddress.Format(new IPEndPoint(IPAddress.IPv6Any, 4160)).Should().Be("[::]:4160");

    [Fact]
    public void UntypedEndpointOverload_HandlesIpAndNull()
    {
        EndPoint ep = new IPEndPoint(IPAddress.IPv6Loopback, 7);
        GoAddress.Format(ep).Should().Be("[::1]:7");
        GoAddress.Format((EndPoint?)null).Should().Be("<nil>");
    }
}
