using static NsqLookup.Core.Tests.Protocol.ProtocolHarness;

namespace NsqLookup.Core.Tests.Protocol;

/// <summary>T1, T5–T14 (docs/protocol.md, "Commands (client → server)"): framing and line parsing through the protocol
/// loop.</summary>
public sealed class CommandLineTests
{
    private static readonly byte[] OkFrame = [0x00, 0x00, 0x00, 0x02, 0x4F, 0x4B];

    [Fact]
    public async Task T1_PingBeforeIdentify_ReturnsOk_AndStaysOpen()
    {
        await using var h = new ProtocolHarness();
        (await h.SendAndReadAsync("PING\n")).Should().Equal(OkFrame);
        h.Run.IsCompleted.Should().BeFalse();
        h.Db.Nodes().Should().BeEmpty("PING before IDENTIFY changes nothing");
    }

    [Fact]
    public async Task T5_PipelinedIdentifyRegisterPing_AnsweredInOrder()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync([.. IdentifyCommand(), .. Ascii("REGISTER t\nPING\n")]);
        (await h.ReadFrameAsync()).Should().Equal(h.IdentifyResponseFrame());
        (await h.ReadFrameAsync()).Should().Equal(OkFrame);
        (await h.ReadFrameAsync()).Should().Equal(OkFrame);
        h.Db.Lookup("t")!.Producers.Should().ContainSingle();
    }

    [Fact]
    public async Task T5_WholeSessionFedOneByteAtATime_AnsweredInOrder()
    {
        await using var h = new ProtocolHarness();
        byte[] session = [.. IdentifyCommand(), .. Ascii("REGISTER t c\nPING\nUNREGISTER t c\n")];
        foreach (var b in session)
        {
            await h.SendAsync([b]);
        }

        (await h.ReadFrameAsync()).Should().Equal(h.IdentifyResponseFrame());
        for (var i = 0; i < 3; i++)
        {
            (await h.ReadFrameAsync()).Should().Equal(OkFrame);
        }

        h.Db.Channels("t").Should().Equal("c");
    }

    [Fact]
    public async Task T6_FrameHeaderIsPayloadLength_NoFrameType()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync(IdentifyCommand());
        var frame = await h.ReadFrameAsync();
        var payloadLength = frame.Length - 4;
        frame[..4].Should().Equal(SizePrefix(payloadLength));
        frame[4].Should().Be((byte)'{', "the payload starts right after the size");
    }

    [Fact]
    public async Task T7_PingWithCrLf_ReturnsOk()
    {
        await using var h = new ProtocolHarness();
        (await h.SendAndReadAsync("PING\r\n")).Should().Equal(OkFrame);
    }

    [Fact]
    public async Task T8_PingWithSurroundingSpaces_ReturnsOk()
    {
        await using var h = new ProtocolHarness();
        (await h.SendAndReadAsync("   PING  \n")).Should().Equal(OkFrame);
    }

    [Fact]
    public async Task T8_PingWithUnicodeSpaces_ReturnsOk()
    {
        await using var h = new ProtocolHarness();
        (await h.SendAndReadAsync("\u00A0\u3000PING\u0085\u2029\n")).Should().Equal(OkFrame);
    }

    [Fact]
    public async Task T9_PingWithExtraTokens_ReturnsOk()
    {
        await using var h = new ProtocolHarness();
        (await h.SendAndReadAsync("PING a b c\n")).Should().Equal(OkFrame);
    }

    [Fact]
    public async Task T10_LowercasePing_IsInvalidCommand()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync("ping\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID invalid command ping");
    }

    [Fact]
    public async Task T11_BlankLine_IsInvalidCommandWithTrailingSpace()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync("\n");
        var frame = await h.ReadFrameAsync();
        frame.Should().Equal(Frame("E_INVALID invalid command "));
        frame.Length.Should().Be(4 + 26);
        await h.ExpectClosedAsync();
    }

    [Fact]
    public async Task T12_UnknownCommand_EchoesOnlyItsName()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync("FOO bar\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID invalid command FOO");
    }

    [Fact]
    public async Task T12_TabIsNotASeparator()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync("REGISTER\tt\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID invalid command REGISTER\tt");
    }

    [Fact]
    public async Task T13_CommandAfterAnErrorIsNotProcessed()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync("BOGUS\nPING\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID invalid command BOGUS");
    }

    [Fact]
    public async Task T14_PartialLineThenHalfClose_GetsNoResponse()
    {
        await using var h = new ProtocolHarness();
        await h.SendAsync("PING");
        await h.HalfCloseAsync();
        await h.ExpectClosedAsync();
        h.Logger.Lines.Should().Contain("INFO: client(127.0.0.1:5555) - EOF");
    }

    [Fact]
    public async Task OverlongLine_IsRejectedWithoutWaitingForLf()
    {
        await using var h = new ProtocolHarness(limits: new() { MaxCommandLineLength = 16 });
        await h.SendAsync(new string('A', 16));
        await h.ExpectErrorAndCloseAsync("E_INVALID command line too long");
    }

    [Fact]
    public async Task LineOfExactlyTheLimitIncludingLf_IsAccepted()
    {
        await using var h = new ProtocolHarness(limits: new() { MaxCommandLineLength = 16 });
        (await h.SendAndReadAsync("PING" + new string(' ', 11) + "\n")).Should().Equal(OkFrame);
        await h.SendAsync("PING" + new string(' ', 12) + "\n");
        await h.ExpectErrorAndCloseAsync("E_INVALID command line too long");
    }

    [Fact]
    public async Task DefaultLimit_AcceptsLongestLegalCommand()
    {
        await using var h = new ProtocolHarness();
        await h.IdentifyAsync();
        var name = new string('a', 54) + "#ephemeral";
        (await h.SendAndReadAsync($"UNREGISTER {name} {name}\n")).Should().Equal(OkFrame);
    }
}
