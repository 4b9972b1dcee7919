using System.Text;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Tcp;

/// <summary>
/// Replays the captured real nsqd session (tests/fixtures/nsqd-session.hex) over a real socket, one send
/// per captured segment, and checks every response byte for byte.
/// </summary>
public sealed class NsqdSessionReplayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AppendixA_ObservedNsqdSession_GetsTheExactResponses()
    {
        var lines = await File.ReadAllLinesAsync(RepoPaths.Fixture("nsqd-session.hex"));
        await using var daemon = await TestDaemon.StartAsync(output, o => o with { BroadcastAddress = "127.0.0.1" });
        await using var client = await daemon.ConnectAsync();
        var identity = daemon.App.Identity;
        var exchanged = 0;
        foreach (var line in lines.Where(l => l.Length > 0 && l[0] != '#'))
        {
            var (kind, data) = (line[..line.IndexOf(' ', StringComparison.Ordinal)], line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            switch (kind)
            {
                case "C":
                    await client.SendAsync(Convert.FromHexString(data));
                    break;
                case "S":
                    var expected = Convert.FromHexString(data);
                    (await client.ReadExactlyAsync(expected.Length)).Should().Equal(expected);
                    exchanged++;
                    break;
                case "S-JSON":
                    var json = data.Replace("<hostname>", identity.Hostname, StringComparison.Ordinal)
                        .Replace("<tcp_port>", identity.TcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                        .Replace("<http_port>", identity.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    var payload = Encoding.UTF8.GetBytes(json);
                    var frame = new byte[4 + payload.Length];
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
                    payload.CopyTo(frame, 4);
                    (await client.ReadExactlyAsync(frame.Length)).Should().Equal(frame);
                    exchanged++;
                    break;
                default:
                    throw new InvalidDataException($"unknown fixture line kind {kind}");
            }
        }

        exchanged.Should().Be(13);

        // The session leaves t1 (channel c2 unregistered... c2 re-registered then topic-form UNREGISTER) and
        // t2 registered; nsqd then just closes the socket, and every entry of this peer goes with it.
        var lookup = await daemon.Http.GetStringAsync("/lookup?topic=t2");
        lookup.Should().Contain("\"remote_address\":\"" + client.LocalAddress + "\"");
        await client.DisposeAsync();
        await Eventually.TrueAsync(async () => (await daemon.Http.GetStringAsync("/nodes")) == "{\"producers\":[]}");
        (await daemon.Http.GetStringAsync("/lookup?topic=t2")).Should().Be("{\"channels\":[],\"producers\":[]}");
    }
}
