using Microsoft.Extensions.Logging;
using NsqLookup.Protocol;
using static NsqLookup.Core.Tests.Protocol.ProtocolHarness;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>--quiet-pings (our addition): the per-PING line moves from INFO to DEBUG, wording unchanged.</summary>
public sealed class PingLogLevelTests
{
    private static readonly byte[] OkFrame = Frame("OK");

    [Fact]
    public async Task Ping_IsLoggedAtInfoByDefault()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        h.Time.Advance(TimeSpan.FromSeconds(15));
        (await h.SendAndReadAsync("PING\n")).Should().Equal(OkFrame);
        h.Logger.Lines.Should().Contain("INFO: CLIENT(127.0.0.1:5555): pinged (last ping 15s)");
    }

    [Fact]
    public async Task QuietPings_LogAtDebug()
    {
        await using var h = new ProtocolHarness(logging: new LookupProtocolLogging { PingLevel = LogLevel.Debug });
        await h.IdentifyAsync();
        h.Time.Advance(TimeSpan.FromSeconds(15));
        (await h.SendAndReadAsync("PING\n")).Should().Equal(OkFrame);
        h.Logger.Lines.Should().Contain("DEBUG: CLIENT(127.0.0.1:5555): pinged (last ping 15s)")
            .And.NotContain(l => l.StartsWith("INFO: CLIENT(127.0.0.1:5555): pinged", StringComparison.Ordinal));
    }
}
