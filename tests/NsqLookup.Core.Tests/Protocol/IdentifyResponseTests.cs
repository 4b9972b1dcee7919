using System.Text;
using NsqLookup.Protocol;

namespace NsqLookup.Core.Tests.Protocol;

public sealed class IdentifyResponseTests
{
    [Fact]
    public void IdentifyResponse_EscapesServerValues()
    {
        var identity = new ServerIdentity { BroadcastAddress = "a<b", Hostname = "h\u00e9", TcpPort = 1, HttpPort = 2 };
        Encoding.UTF8.GetString(IdentifyResponse.Build(identity)).Should().Be(
            "{\"broadcast_address\":\"a\\u003cb\",\"hostname\":\"h\u00e9\",\"http_port\":2,\"tcp_port\":1,\"version\":\"1.3.0\"}");
    }
}
