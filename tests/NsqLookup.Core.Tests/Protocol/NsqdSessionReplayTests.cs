using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>Replays the real nsqd session of <c>tests/fixtures/nsqd-session.hex</c>, one client segment per write.</summary>
public sealed class NsqdSessionReplayTests
{
    private const string FixtureName = "nsqd-session.hex";

    [Fact]
    public async Task RealNsqdSession_GetsTheGoOriginalsExactResponses()
    {
        var lines = File.ReadAllLines(FindFixture())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        lines.Should().NotBeEmpty();

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var db = new RegistrationDB(time, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45));
        var identity = new ServerIdentity { BroadcastAddress = "127.0.0.1", Hostname = "testhost", TcpPort = 24200, HttpPort = 24201 };
        var logger = new TestLogger();
        var protocol = new LookupProtocolV1(db, identity, logger);
        var client = new ClientV1("127.0.0.1:51258");
        var input = new Pipe(new PipeOptions(useSynchronizationContext: false));
        var output = new Pipe(new PipeOptions(useSynchronizationContext: false));

        // What the host does: read and check the magic, then hand the rest of the stream to the protocol.
        var run = Task.Run(async () =>
        {
            var (magic, _) = await ProtocolMagic.ReadAsync(input.Reader);
            magic.Should().NotBeNull();
            ProtocolMagic.IsV1(magic).Should().BeTrue();
            await protocol.RunAsync(input.Reader, output.Writer, client);
        });

        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var kind = line[..space];
            var data = line[(space + 1)..];
            switch (kind)
            {
                case "C":
                    if (data == "50494e470a")
                    {
                        time.Advance(TimeSpan.FromSeconds(15));
                    }

                    await input.Writer.WriteAsync(Convert.FromHexString(data)).AsTask().WaitAsync(ProtocolHarness.Timeout);
                    break;
                case "S":
                    (await ReadFrameAsync(output.Reader)).Should().Equal(Convert.FromHexString(data), "response to {0}", line);
                    break;
                case "S-JSON":
                    var json = data
                        .Replace("<hostname>", identity.Hostname, StringComparison.Ordinal)
                        .Replace("<tcp_port>", "24200", StringComparison.Ordinal)
                        .Replace("<http_port>", "24201", StringComparison.Ordinal);
                    (await ReadFrameAsync(output.Reader)).Should().Equal(ProtocolHarness.Frame(json));
                    break;
                default:
                    throw new InvalidDataException($"unknown fixture line kind '{kind}'");
            }
        }

        // nsqd shuts down by closing the socket.
        await input.Writer.CompleteAsync();
        await run.WaitAsync(ProtocolHarness.Timeout);
        await output.Writer.CompleteAsync();
        var rest = await output.Reader.ReadAsync().AsTask().WaitAsync(ProtocolHarness.Timeout);
        rest.Buffer.Length.Should().Be(0);

        db.Topics().Should().Equal("t1", "t2");
        db.Channels("t1").Should().Equal("c1", "c2");
        db.Channels("t2").Should().BeEmpty("the ephemeral channel was unregistered by its only producer");
        db.Debug().Should().BeEmpty("the disconnect removed every entry");
        logger.Lines.Should().Contain("INFO: CLIENT(127.0.0.1:51258): pinged (last ping 15s)");
        logger.Lines.Should().Contain("WARNING: client(127.0.0.1:51258) unexpected UNREGISTER category:channel key:t1 subkey:c2");
    }

    private static async Task<byte[]> ReadFrameAsync(PipeReader reader)
    {
        var result = await reader.ReadAtLeastAsync(4).AsTask().WaitAsync(ProtocolHarness.Timeout);
        result.Buffer.Length.Should().BeGreaterThanOrEqualTo(4, "a frame was expected");
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(result.Buffer.Slice(0, 4).ToArray());
        reader.AdvanceTo(result.Buffer.Start);
        result = await reader.ReadAtLeastAsync(4 + length).AsTask().WaitAsync(ProtocolHarness.Timeout);
        var frame = result.Buffer.Slice(0, 4 + length).ToArray();
        reader.AdvanceTo(result.Buffer.GetPosition(4 + length));
        return frame;
    }

    /// <summary>The csproj copies <c>tests/fixtures/*.hex</c> next to the test assembly.</summary>
    private static string FindFixture() => Path.Combine(AppContext.BaseDirectory, "fixtures", FixtureName);
}
