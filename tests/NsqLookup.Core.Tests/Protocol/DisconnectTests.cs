using static NsqLookup.Core.Tests.Protocol.ProtocolHarness;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>T60–T63 (docs/protocol.md, "Registration model"): whatever ends the connection, its entries go and its keys
/// stay.</summary>
public sealed class DisconnectTests
{
    private static readonly byte[] OkFrame = Frame("OK");

    [Fact]
    public async Task T60_T61_CleanClose_RemovesEveryEntry_KeepsKeys()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        (await h.SendAndReadAsync("REGISTER t c\n")).Should().Equal(OkFrame);
        await h.HalfCloseAsync();
        await h.ExpectClosedAsync();

        var lookup = h.Db.Lookup("t")!;
        lookup.Channels.Should().Equal("c");
        lookup.Producers.Should().BeEmpty();
        h.Db.Topics().Should().Equal("t");
        h.Db.Nodes().Should().BeEmpty();
        h.Db.Debug().Should().BeEmpty();
        h.Logger.Lines.Should().Contain([
            "INFO: DB: client(127.0.0.1:5555) UNREGISTER category:client key: subkey:",
            "INFO: DB: client(127.0.0.1:5555) UNREGISTER category:topic key:t subkey:",
            "INFO: DB: client(127.0.0.1:5555) UNREGISTER category:channel key:t subkey:c",
        ]);
        h.Logger.Lines.Should().ContainInOrder(
            "INFO: PROTOCOL(V1): [127.0.0.1:5555] exiting ioloop",
            "INFO: DB: client(127.0.0.1:5555) UNREGISTER category:client key: subkey:",
            "INFO: client(127.0.0.1:5555) - EOF");
    }

    /// <summary>At exit the host shuts every client down, which ends the read like an EOF; the Go original, whose
    /// Exit closes each connection, reports that as an ERROR read on a closed connection, not a client's EOF.</summary>
    [Fact]
    public async Task AnEndOfInputAfterExitBegan_IsReportedAsGoReportsAConnectionTheServerClosed()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        (await h.SendAndReadAsync("REGISTER t c\n")).Should().Equal(OkFrame);
        h.State.Releases.BeginExit(listRegistrations: true);
        await h.HalfCloseAsync();
        await h.ExpectClosedAsync();

        h.Logger.Lines.Should().Contain("ERROR: client(127.0.0.1:5555) - read tcp ->127.0.0.1:5555: use of closed network connection")
            .And.NotContain(l => l.EndsWith(" - EOF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task T62_EphemeralKeysSurviveDisconnect()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        (await h.SendAndReadAsync("REGISTER e#ephemeral c#ephemeral\n")).Should().Equal(OkFrame);
        await h.HalfCloseAsync();
        await h.ExpectClosedAsync();
        h.Db.Topics().Should().Equal("e#ephemeral");
        h.Db.Channels("e#ephemeral").Should().Equal("c#ephemeral");
    }

    [Fact]
    public async Task T63_FatalError_RemovesRegistrations()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        await h.SendAsync("BOGUS\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID invalid command BOGUS");
        h.Db.Lookup("t")!.Producers.Should().BeEmpty();
        h.Db.Topics().Should().Equal("t");
        h.Logger.Lines.Should().ContainInOrder(
            "ERROR: [127.0.0.1:5555] - E_INVALID invalid command BOGUS",
            "INFO: PROTOCOL(V1): [127.0.0.1:5555] exiting ioloop",
            "INFO: DB: client(127.0.0.1:5555) UNREGISTER category:topic key:t subkey:",
            "ERROR: client(127.0.0.1:5555) - E_INVALID invalid command BOGUS");
    }

    [Fact]
    public async Task Cancellation_EndsTheLoop_AndRemovesRegistrations()
    {
        var h = new ProtocolHarness();
        await h.IdentifyAsync();
        (await h.SendAndReadAsync("REGISTER t\n")).Should().Equal(OkFrame);
        await h.DisposeAsync();
        h.Run.IsCompletedSuccessfully.Should().BeTrue();
        h.Db.Lookup("t")!.Producers.Should().BeEmpty();
        h.Logger.Lines.Should().NotContain(l => l.StartsWith("ERROR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IoErrorOnRead_RemovesRegistrations_AndLogsTheError()
    {
        var db = new ProtocolHarness.Shared();
        var client = new NsqLookup.Protocol.ClientV1("127.0.0.1:7");
        var protocol = new NsqLookup.Protocol.LookupProtocolV1(db.Db, db.Identity, db.Logger);
        var input = new System.IO.Pipelines.Pipe();
        var output = new System.IO.Pipelines.Pipe();
        var run = protocol.RunAsync(input.Reader, output.Writer, client, CancellationToken.None);
        await input.Writer.WriteAsync(IdentifyCommand());
        var frame = await output.Reader.ReadAsync().AsTask().WaitAsync(ProtocolHarness.Timeout);
        output.Reader.AdvanceTo(frame.Buffer.End);
        db.Db.Nodes().Should().ContainSingle();

        await input.Writer.CompleteAsync(new IOException("connection reset by peer"));
        await run.WaitAsync(ProtocolHarness.Timeout);
        db.Db.Nodes().Should().BeEmpty();
        db.Logger.Lines.Should().Contain("ERROR: client(127.0.0.1:7) - connection reset by peer");
    }

    [Fact]
    public async Task UnidentifiedClose_TouchesNothing()
    {
        await using var h = new ProtocolHarness();
        await h.HalfCloseAsync();
        await h.ExpectClosedAsync();
        h.Logger.Lines.Should().Equal(
            "INFO: PROTOCOL(V1): [127.0.0.1:5555] exiting ioloop",
            "INFO: client(127.0.0.1:5555) - EOF");
    }
}
