using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>
/// One protocol connection over in-memory pipes, with a real <see cref="RegistrationDB"/> on a fake clock.
/// The magic is assumed consumed (the host's job); every await has a timeout.
/// </summary>
internal sealed class ProtocolHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public const string StandardBody =
        """{"broadcast_address":"nsqd1.example","hostname":"h1","tcp_port":4150,"http_port":4151,"version":"1.3.0"}""";

    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource _cts = new();

    public ProtocolHarness(
        string peer = "127.0.0.1:5555",
        Shared? shared = null,
        LookupProtocolLimits? limits = null,
        LookupProtocolLogging? logging = null)
    {
        State = shared ?? new Shared();
        Client = new ClientV1(peer);
        var protocol = new LookupProtocolV1(State.Db, State.Identity, State.Logger, limits, logging, release: State.Releases);
        Run = Task.Run(() => protocol.RunAsync(_input.Reader, _output.Writer, Client, _cts.Token));
    }

    public Shared State { get; }

    public RegistrationDB Db => State.Db;

    public FakeTimeProvider Time => State.Time;

    public TestLogger Logger => State.Logger;

    public ClientV1 Client { get; }

    public Task Run { get; }

    public static byte[] Ascii(string s) => Encoding.UTF8.GetBytes(s);

    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(4));
        return frame;
    }

    public static byte[] Frame(string payload) => Frame(Ascii(payload));

    public static byte[] IdentifyCommand(byte[] body) => [.. Ascii("IDENTIFY\n"), .. SizePrefix(body.Length), .. body];

    public static byte[] IdentifyCommand(string json = StandardBody) => IdentifyCommand(Ascii(json));

    public static byte[] SizePrefix(int size)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, size);
        return b;
    }

    public byte[] IdentifyResponseFrame() => Frame(IdentifyResponse.Build(State.Identity));

    public async Task SendAsync(byte[] bytes)
    {
        await _input.Writer.WriteAsync(bytes).AsTask().WaitAsync(Timeout);
    }

    public Task SendAsync(string ascii) => SendAsync(Ascii(ascii));

    /// <summary>The peer half-closes: the server reads EOF.</summary>
    public Task HalfCloseAsync() => _input.Writer.CompleteAsync().AsTask();

    /// <summary>Sends the standard IDENTIFY and checks the success frame.</summary>
    public async Task IdentifyAsync(string json = StandardBody)
    {
        await SendAsync(IdentifyCommand(json));
        (await ReadFrameAsync()).Should().Equal(IdentifyResponseFrame());
    }

    public async Task<byte[]> SendAndReadAsync(string ascii)
    {
        await SendAsync(ascii);
        return await ReadFrameAsync();
    }

    /// <summary>Reads one whole response frame (header included).</summary>
    public async Task<byte[]> ReadFrameAsync()
    {
        var reader = _output.Reader;
        var result = await reader.ReadAtLeastAsync(4).AsTask().WaitAsync(Timeout);
        if (result.Buffer.Length < 4)
        {
            reader.AdvanceTo(result.Buffer.End);
            throw new InvalidOperationException("the server ended the connection before a whole frame");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(result.Buffer.Slice(0, 4).ToArray());
        reader.AdvanceTo(result.Buffer.Start);
        result = await reader.ReadAtLeastAsync(4 + length).AsTask().WaitAsync(Timeout);
        if (result.Buffer.Length < 4 + length)
        {
            reader.AdvanceTo(result.Buffer.End);
            throw new InvalidOperationException("the server ended the connection mid-frame");
        }

        var frame = result.Buffer.Slice(0, 4 + length).ToArray();
        reader.AdvanceTo(result.Buffer.GetPosition(4 + length));
        return frame;
    }

    /// <summary>The protocol loop has ended and wrote nothing more.</summary>
    public async Task ExpectClosedAsync()
    {
        await Run.WaitAsync(Timeout);
        await _output.Writer.CompleteAsync();
        var result = await _output.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        result.Buffer.Length.Should().Be(0, "nothing may follow the last expected frame");
        _output.Reader.AdvanceTo(result.Buffer.End);
    }

    /// <summary>Reads the error frame, then checks the connection ended.</summary>
    public async Task ExpectErrorAndCloseAsync(byte[] payload)
    {
        (await ReadFrameAsync()).Should().Equal(Frame(payload));
        await ExpectClosedAsync();
    }

    public Task ExpectErrorAndCloseAsync(string payload) => ExpectErrorAndCloseAsync(Ascii(payload));

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _input.Writer.CompleteAsync();
        try
        {
            await Run.WaitAsync(Timeout);
        }
        finally
        {
            _cts.Dispose();
        }
    }

    /// <summary>What several connections of one daemon share.</summary>
    internal sealed class Shared
    {
        public Shared(ServerIdentity? identity = null)
        {
            Db = new RegistrationDB(Time, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45));
            Releases = new TestPeerRelease(Db);
            Identity = identity ?? new() { BroadcastAddress = "lk1.example", Hostname = "vm", TcpPort = 4160, HttpPort = 4161 };
        }

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 10, 41, 10, TimeSpan.Zero));

        public RegistrationDB Db { get; }

        /// <summary>Releases on the test's thread; a test may begin the exit.</summary>
        public TestPeerRelease Releases { get; }

        public ServerIdentity Identity { get; }

        public TestLogger Logger { get; } = new();
    }
}
