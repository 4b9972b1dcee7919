using System.Net.Sockets;
using System.Text;

namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>
/// A raw HTTP request held in flight. Sent with <c>Expect: 100-continue</c> and part of its body, it is known to be
/// in the daemon's hands when Kestrel answers <c>100 Continue</c>: Kestrel sends that interim answer when the handler
/// starts reading the body, which the daemon does for every request that can have one.
/// </summary>
internal static class InFlightHttp
{
    public const string ExpectContinue = "Expect: 100-continue\r\n";

    /// <summary>Waits (with the usual timeout) for the interim <c>100 Continue</c> and consumes it, so that the next read
    /// returns the final answer.</summary>
    public static async Task WaitContinueAsync(Socket request)
    {
        var head = new List<byte>();
        var buffer = new byte[256];
        while (!Encoding.ASCII.GetString([.. head]).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await request.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestDaemon.Timeout);
            n.Should().BePositive("the daemon answers 100 Continue once it reads the body");
            head.AddRange(buffer.AsSpan(0, n));
        }

        Encoding.ASCII.GetString([.. head]).Should().Be("HTTP/1.1 100 Continue\r\n\r\n");
    }
}
