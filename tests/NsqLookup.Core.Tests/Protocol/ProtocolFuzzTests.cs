using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>
/// Property-based fuzzing of the V1 protocol (docs/protocol.md, "TCP (port 4160)", and "Deliberate differences"
/// items 1–2) over a real <see cref="RegistrationDB"/>: arbitrary command streams, cut at arbitrary points, never
/// make <see cref="LookupProtocolV1.RunAsync"/> throw; the answer bytes, the log and the registry keys are the same
/// whatever the segmentation; the bytes a connection holds never exceed the larger of the two input caps plus one
/// delivered segment; a disconnect leaves no producer.
/// </summary>
public sealed class ProtocolFuzzTests
{
    // Small caps so that over-long lines and oversized bodies are common in the generated streams.
    private static readonly LookupProtocolLimits SmallLimits = new() { MaxCommandLineLength = 64, MaxIdentifyBodySize = 256 };

    private static readonly Gen<string> ValidName =
        Gen.Select(Gen.String[Gen.Char["abcXYZ019._-"], 1, 12], Gen.Bool, (n, e) => e ? n + "#ephemeral" : n);

    private static readonly Gen<byte[]> AnyName = Gen.Frequency(
        (20, ValidName.Select(Encoding.ASCII.GetBytes)),
        (1, Gen.Byte.Array[0, 10]),
        (1, Gen.Const("#ephemeral"u8.ToArray())),
        (1, Gen.Const(new string('a', 70)).Select(Encoding.ASCII.GetBytes)));

    private static readonly Gen<byte[]> ValidIdentify = Gen.Select(ValidName, Gen.Int[1, 65535], (host, port) =>
        ProtocolHarness.IdentifyCommand(
            $$"""{"broadcast_address":"{{host}}","hostname":"h","tcp_port":{{port}},"http_port":{{port}},"version":"1.3.0"}"""));

    private static readonly Gen<byte[]> Command = Gen.Frequency(
        (4, Gen.OneOf(Gen.Const("PING\n"u8.ToArray()), Gen.Const("PING a b\r\n"u8.ToArray()))),
        (1, ValidIdentify),
        (8, Gen.Select(Gen.OneOf(Gen.Const("REGISTER"), Gen.Const("UNREGISTER")), AnyName, AnyName.Array[0, 2], (verb, topic, rest) =>
            Concat([Encoding.ASCII.GetBytes(verb + " "), topic, .. rest.Select(r => (byte[])[(byte)' ', .. r]), "\n"u8.ToArray()]))),
        (1, Gen.Select(Gen.Byte.Array[0, 300], body => Concat(["IDENTIFY\n"u8.ToArray(), ProtocolHarness.SizePrefix(body.Length), body]))),
        (1, Gen.Select(Gen.Int, Gen.Byte.Array[0, 40], (size, body) => Concat(["IDENTIFY\n"u8.ToArray(), ProtocolHarness.SizePrefix(size), body]))),
        (1, Gen.Byte.Array[0, 80].Select(b => Concat([b, "\n"u8.ToArray()]))),
        (1, Gen.Int[50, 200].Select(n => Encoding.ASCII.GetBytes(new string('x', n) + "\n"))),
        (1, Gen.Byte.Array[0, 120]));

    /// <summary>A stream that usually starts identified, so REGISTER/UNREGISTER reach the registry.</summary>
    private static readonly Gen<byte[]> Stream = Gen.Select(Gen.Int[0, 9], ValidIdentify, Command.Array[0, 14],
        (p, identify, commands) => Concat([.. p < 7 ? [identify] : Array.Empty<byte[]>(), .. commands]));

    private static readonly Gen<int[]> Cuts = Gen.Int[1, 24].Array[1, 30];

    [Fact]
    public async Task AnyStreamAnySegmentationSameOutcomeBoundedMemory()
    {
        var registered = 0;
        var runs = 0;
        await Gen.Select(Stream, Cuts).SampleAsync(async (data, cuts) =>
        {
            var whole = await RunAsync([data], SmallLimits);
            registered += whole.Keys.Length > 0 ? 1 : 0;
            runs++;
            var split = await RunAsync(Split(data, cuts), SmallLimits);
            split.Output.Should().Equal(whole.Output);
            split.Keys.Should().Be(whole.Keys);
            split.Log.Should().Be(whole.Log);
            split.Peak.Should().BeLessThanOrEqualTo(
                Math.Max(SmallLimits.MaxCommandLineLength, SmallLimits.MaxIdentifyBodySize) + split.LargestChunk);
            split.LargestReadAtLeast.Should().BeLessThanOrEqualTo(4, "no announced size is requested up front");
            FramesAreWellFormed(whole.Output);
        }, iter: 1500, threads: 1, print: t => Convert.ToHexString(t.Item1));
        registered.Should().BeGreaterThan(runs / 10, $"of {runs} runs, the generator must reach the registry, not just fail early");
    }

    [Fact]
    public async Task RandomBytesOneByteAtATime_NeverThrow()
    {
        await Gen.Byte.Array[0, 400].SampleAsync(async data =>
        {
            var whole = await RunAsync([data], SmallLimits);
            var bytewise = await RunAsync(data.Select(b => new[] { b }).ToArray(), SmallLimits);
            bytewise.Output.Should().Equal(whole.Output);
            bytewise.Peak.Should().BeLessThanOrEqualTo(SmallLimits.MaxIdentifyBodySize + 1);
        }, iter: 600, threads: 1, print: Convert.ToHexString);
    }

    [Fact]
    public async Task A1MiBLineTrickledIn1000ByteSegments_HoldsAtMostTheLineCapPlusOneSegment()
    {
        var limits = new LookupProtocolLimits();
        var chunks = Enumerable.Range(0, 1049).Select(_ => Enumerable.Repeat((byte)'A', 1000).ToArray()).ToArray();
        var outcome = await RunAsync(chunks, limits);
        Encoding.ASCII.GetString(outcome.Output.AsSpan(4)).Should().Be("E_INVALID command line too long");
        outcome.Peak.Should().BeLessThanOrEqualTo(limits.MaxCommandLineLength + 1000);
    }

    [Fact]
    public async Task AnIdentifyBodyAtTheCapTrickled_HoldsAtMostTheBodyPlusOneSegment()
    {
        var limits = new LookupProtocolLimits();
        var body = new byte[limits.MaxIdentifyBodySize];
        byte[] data = [.. "IDENTIFY\n"u8, .. ProtocolHarness.SizePrefix(body.Length), .. body];
        var outcome = await RunAsync(Split(data, [7]), limits);
        Encoding.ASCII.GetString(outcome.Output.AsSpan(4)).Should().StartWith("E_BAD_BODY IDENTIFY failed to decode JSON body");
        outcome.Peak.Should().BeLessThanOrEqualTo(limits.MaxIdentifyBodySize + 7);
        outcome.LargestReadAtLeast.Should().BeLessThanOrEqualTo(4, "the announced body size is never requested up front");
    }

    private static async Task<Outcome> RunAsync(IReadOnlyList<byte[]> chunks, LookupProtocolLimits limits)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 41, 10, TimeSpan.Zero));
        var db = new RegistrationDB(time, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45));
        var identity = new ServerIdentity { BroadcastAddress = "lk1.example", Hostname = "vm", TcpPort = 4160, HttpPort = 4161 };
        var logger = new TestLogger();
        var protocol = new LookupProtocolV1(db, identity, logger, limits);
        var input = new ChunkedPipeReader(chunks);
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));

        await protocol.RunAsync(input, output.Writer, new ClientV1("127.0.0.1:5555")).WaitAsync(ProtocolHarness.Timeout);
        await output.Writer.CompleteAsync();
        var result = await output.Reader.ReadAsync();
        var bytes = result.Buffer.ToArray();
        output.Reader.AdvanceTo(result.Buffer.End);

        db.Debug().Should().BeEmpty("a disconnect removes the producer from every registration");
        var keys = string.Join(";", db.Topics().Select(t => t + ":" + string.Join(",", db.Channels(t))));
        return new Outcome(bytes, keys, string.Join("\n", logger.Lines), input.PeakUnconsumed, input.LargestChunk, input.LargestReadAtLeast);
    }

    /// <summary>Frames are size-prefixed; every one but the last is a success (every error is fatal).</summary>
    private static void FramesAreWellFormed(byte[] output)
    {
        var frames = new List<string>();
        var rest = output.AsSpan();
        while (!rest.IsEmpty)
        {
            rest.Length.Should().BeGreaterThanOrEqualTo(4);
            var size = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(rest);
            rest.Length.Should().BeGreaterThanOrEqualTo(4 + size);
            frames.Add(Encoding.Latin1.GetString(rest.Slice(4, size)));
            rest = rest[(4 + size)..];
        }

        frames.SkipLast(1).Where(f => f != "OK" && !f.StartsWith('{')).Should().BeEmpty();
    }

    private static byte[][] Split(byte[] data, int[] cuts)
    {
        var chunks = new List<byte[]>();
        var at = 0;
        for (var i = 0; at < data.Length; i++)
        {
            var n = Math.Min(cuts[i % cuts.Length], data.Length - at);
            chunks.Add(data[at..(at + n)]);
            at += n;
        }

        return [.. chunks];
    }

    private static byte[] Concat(IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();

    private sealed record Outcome(byte[] Output, string Keys, string Log, long Peak, int LargestChunk, int LargestReadAtLeast);
}
