using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging;
using NsqLookup.Metrics;
using NsqLookup.Registry;

namespace NsqLookup.Protocol;

/// <summary>
/// The V1 lookup protocol spoken by nsqd (nsqlookupd/lookup_protocol_v1.go), run after the host has consumed the
/// <c>"  V1"</c> magic. One command at a time: read a line (and IDENTIFY's body), act on the registry, write one
/// frame, flush, repeat. Every error is fatal: the error frame is sent and the loop ends. Whatever ends the loop,
/// the connection's registrations are removed (spec §2.9).
/// </summary>
public sealed partial class LookupProtocolV1
{
    private const string Register = "REGISTER";
    private const string Unregister = "UNREGISTER";
    private static readonly byte[] OkPayload = "OK"u8.ToArray();

    private readonly RegistrationDB _db;
    private readonly ServerIdentity _identity;
    private readonly ILogger _logger;
    private readonly LookupProtocolLimits _limits;
    private readonly LogLevel _pingLevel;
    private readonly NsqLookupMetrics? _metrics;

    public LookupProtocolV1(
        RegistrationDB db,
        ServerIdentity identity,
        ILogger<LookupProtocolV1> logger,
        LookupProtocolLimits? limits = null,
        LookupProtocolLogging? logging = null,
        NsqLookupMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(logger);
        _db = db;
        _identity = identity;
        _logger = logger;
        _limits = limits ?? new LookupProtocolLimits();
        _pingLevel = (logging ?? new LookupProtocolLogging()).PingLevel;
        _metrics = metrics;
    }

    /// <summary>
    /// Serves one connection until EOF, a protocol error, an I/O error or cancellation; never throws for those.
    /// Does not complete <paramref name="input"/> or <paramref name="output"/>: the host owns the transport.
    /// </summary>
    public async Task RunAsync(PipeReader input, PipeWriter output, ClientV1 client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(client);

        var line = new byte[_limits.MaxCommandLineLength];
        string? exitError = null;
        var cleanClose = false;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var status = LookupCommandReader.TryReadLine(ref buffer, _limits.MaxCommandLineLength, out var lineBytes);
                if (status == LineStatus.Incomplete)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCanceled)
                    {
                        break;
                    }

                    if (result.IsCompleted)
                    {
                        // A partial last line is dropped without an answer, as the anchor does (T14).
                        exitError = "EOF";
                        cleanClose = true;
                        break;
                    }

                    continue;
                }

                Reply reply;
                if (status == LineStatus.TooLong)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    reply = Reply.Fail(ProtocolError.CommandLineTooLong);
                }
                else
                {
                    var length = (int)lineBytes.Length;
                    lineBytes.CopyTo(line);
                    input.AdvanceTo(buffer.Start);
                    reply = Dispatch(client, line.AsSpan(0, length), out var identify);
                    if (identify)
                    {
                        reply = await IdentifyAsync(client, input, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (reply.Error is { } error)
                {
                    await SendErrorAsync(output, client, error, cancellationToken).ConfigureAwait(false);
                    exitError = error.ToString();
                    break;
                }

                FrameWriter.Write(output, reply.Payload.Span);
                var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    exitError = "write: connection closed";
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Server shutdown: not the client's fault, nothing to report beyond the exit line.
        }
        catch (IOException ex)
        {
            exitError = ex.Message;
        }
        finally
        {
            Log.ExitingIoLoop(_logger, client.Id);
            await RemoveRegistrationsAsync(client).ConfigureAwait(false);
            if (exitError is not null)
            {
                if (cleanClose)
                {
                    Log.ClientClosed(_logger, client.Id, exitError);
                }
                else
                {
                    Log.ClientError(_logger, client.Id, exitError);
                }
            }
        }
    }

    private Reply Dispatch(ClientV1 client, ReadOnlySpan<byte> line, out bool identify)
    {
        identify = false;
        Span<Range> tokens = stackalloc Range[3];
        var count = LookupCommandReader.Tokenize(line, tokens);
        var name = line[tokens[0]];
        if (name.SequenceEqual("PING"u8))
        {
            _metrics?.Command("PING");
            return Ping(client);
        }

        if (name.SequenceEqual("IDENTIFY"u8))
        {
            _metrics?.Command("IDENTIFY");
            // Checked before the body is read: the body of a second IDENTIFY is never consumed.
            if (client.IsIdentified)
            {
                return Reply.Fail(ProtocolError.CannotIdentifyAgain);
            }

            identify = true;
            return default;
        }

        if (name.SequenceEqual("REGISTER"u8))
        {
            _metrics?.Command(Register);
            return RegisterCommand(client, line, tokens, count);
        }

        if (name.SequenceEqual("UNREGISTER"u8))
        {
            _metrics?.Command(Unregister);
            return UnregisterCommand(client, line, tokens, count);
        }

        return Reply.Fail(ProtocolError.InvalidCommand(name));
    }

    private Reply Ping(ClientV1 client)
    {
        if (client.Peer is { } peer)
        {
            var sinceLast = _db.Touch(peer);
            if (_logger.IsEnabled(_pingLevel))
            {
                Log.Pinged(_logger, _pingLevel, client.Id, GoDuration.Format(sinceLast));
            }
        }

        return Reply.Ok(OkPayload);
    }

    private async ValueTask<Reply> IdentifyAsync(ClientV1 client, PipeReader input, CancellationToken cancellationToken)
    {
        var result = await input.ReadAtLeastAsync(LookupCommandReader.BodySizeLength, cancellationToken).ConfigureAwait(false);
        var buffer = result.Buffer;
        if (!LookupCommandReader.TryReadBodySize(ref buffer, out var size))
        {
            input.AdvanceTo(buffer.End);
            ThrowIfCanceled(result);
            return Reply.Fail(ProtocolError.FailedToReadBodySize(ShortReadCause(buffer.Length)));
        }

        input.AdvanceTo(buffer.Start);

        // deviation: safer (spec §2.6 step 3): validate before allocating or waiting for any body byte.
        if (size < 0)
        {
            return Reply.Fail(ProtocolError.InvalidBodySize(size));
        }

        if (size > _limits.MaxIdentifyBodySize)
        {
            return Reply.Fail(ProtocolError.BodyTooBig(size, _limits.MaxIdentifyBodySize));
        }

        var body = Array.Empty<byte>();
        if (size > 0)
        {
            result = await ReadAsBytesArriveAsync(input, size, cancellationToken).ConfigureAwait(false);
            buffer = result.Buffer;
            if (buffer.Length < size)
            {
                input.AdvanceTo(buffer.End);
                ThrowIfCanceled(result);
                return Reply.Fail(ProtocolError.FailedToReadBody(ShortReadCause(buffer.Length)));
            }

            body = new byte[size];
            buffer.Slice(0, size).CopyTo(body);
            input.AdvanceTo(buffer.GetPosition(size));
        }

        return CompleteIdentify(client, body);
    }

    private Reply CompleteIdentify(ClientV1 client, byte[] json)
    {
        var body = IdentifyDecoder.Decode(json, out var cause);
        if (body is null)
        {
            return Reply.Fail(ProtocolError.FailedToDecodeBody(cause));
        }

        if (!body.HasRequiredFields)
        {
            return Reply.Fail(ProtocolError.MissingFields);
        }

        // remote_address from the body is ignored: PeerInfo reports the connection's own address.
        var peer = new PeerInfo(client.Id, body);
        _db.Touch(peer);
        Log.Identify(_logger, client.Id, peer.BroadcastAddress, peer.TcpPort, peer.HttpPort, peer.Version);
        client.Peer = peer;
        if (_db.AddProducer(Registration.Client, peer))
        {
            Log.Register(_logger, client.Id, Registration.ClientCategory, "", "");
        }

        return Reply.Ok(IdentifyResponse.Build(_identity));
    }

    private Reply RegisterCommand(ClientV1 client, ReadOnlySpan<byte> line, ReadOnlySpan<Range> tokens, int count)
    {
        if (client.Peer is not { } peer)
        {
            return Reply.Fail(ProtocolError.MustIdentify);
        }

        if (!TryGetTopicChannel(Register, line, tokens, count, out var topic, out var channel, out var error))
        {
            return Reply.Fail(error);
        }

        if (channel is not null && _db.AddProducer(Registration.Channel(topic, channel), peer))
        {
            Log.Register(_logger, client.Id, Registration.ChannelCategory, topic, channel);
        }

        // A channel registration implies its topic.
        if (_db.AddProducer(Registration.Topic(topic), peer))
        {
            Log.Register(_logger, client.Id, Registration.TopicCategory, topic, "");
        }

        return Reply.Ok(OkPayload);
    }

    private Reply UnregisterCommand(ClientV1 client, ReadOnlySpan<byte> line, ReadOnlySpan<Range> tokens, int count)
    {
        if (!client.IsIdentified)
        {
            return Reply.Fail(ProtocolError.MustIdentify);
        }

        if (!TryGetTopicChannel(Unregister, line, tokens, count, out var topic, out var channel, out var error))
        {
            return Reply.Fail(error);
        }

        if (channel is not null)
        {
            if (_db.UnregisterChannel(topic, channel, client.Id))
            {
                Log.Unregister(_logger, client.Id, Registration.ChannelCategory, topic, channel);
            }

            return Reply.Ok(OkPayload);
        }

        var removed = _db.UnregisterTopic(topic, client.Id);
        foreach (var r in removed.RemovedChannels)
        {
            // nsqd removes channels before their topic, so the anchor flags this as unusual.
            Log.UnexpectedUnregister(_logger, client.Id, Registration.ChannelCategory, topic, r.SubKey);
        }

        if (removed.RemovedTopic)
        {
            Log.Unregister(_logger, client.Id, Registration.TopicCategory, topic, "");
        }

        return Reply.Ok(OkPayload);
    }

    /// <summary>The anchor's <c>getTopicChan</c>: a topic is required; an empty channel token means "no channel".</summary>
    private static bool TryGetTopicChannel(
        string command,
        ReadOnlySpan<byte> line,
        ReadOnlySpan<Range> tokens,
        int count,
        out string topic,
        out string? channel,
        out ProtocolError error)
    {
        topic = "";
        channel = null;
        error = ProtocolError.MustIdentify;
        if (count < 2)
        {
            error = ProtocolError.InsufficientParams(command);
            return false;
        }

        var topicBytes = line[tokens[1]];
        var channelBytes = count >= 3 ? line[tokens[2]] : default;
        if (!Names.IsValid(topicBytes))
        {
            error = ProtocolError.BadTopic(command, topicBytes);
            return false;
        }

        if (!channelBytes.IsEmpty && !Names.IsValid(channelBytes))
        {
            error = ProtocolError.BadChannel(command, channelBytes);
            return false;
        }

        // Valid names are ASCII, so this decoding is lossless.
        topic = Encoding.ASCII.GetString(topicBytes);
        channel = channelBytes.IsEmpty ? null : Encoding.ASCII.GetString(channelBytes);
        return true;
    }

    private async ValueTask SendErrorAsync(PipeWriter output, ClientV1 client, ProtocolError error, CancellationToken cancellationToken)
    {
        _metrics?.ProtocolError(error);
        var text = error.ToString();
        if (error.Detail is { } cause)
        {
            Log.ProtocolErrorWithCause(_logger, client.Id, text, cause);
        }
        else
        {
            Log.ProtocolError(_logger, client.Id, text);
        }

        try
        {
            FrameWriter.Write(output, error.Payload);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // The peer may already be gone (e.g. it half-closed mid-IDENTIFY); the connection ends either way.
            Log.ProtocolError(_logger, client.Id, ex.Message);
        }
    }

    /// <summary>The peer is gone from every answer when the registry returns the task (an O(1) detach on this
    /// thread); its entries are released on the registry's worker, and logged once they are.</summary>
    private async Task RemoveRegistrationsAsync(ClientV1 client)
    {
        if (!client.IsIdentified)
        {
            return;
        }

        foreach (var r in await _db.RemovePeerAsync(client.Id).ConfigureAwait(false))
        {
            Log.Unregister(_logger, client.Id, r.Category, r.Key, r.SubKey);
        }
    }

    /// <summary>
    /// Like <see cref="PipeReader.ReadAtLeastAsync"/>, but without asking the pipe for <paramref name="size"/> bytes up
    /// front (a stream-backed pipe allocates that at once): memory grows only as body bytes actually arrive.
    /// </summary>
    private static async ValueTask<ReadResult> ReadAsBytesArriveAsync(PipeReader input, int size, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length >= size || result.IsCompleted || result.IsCanceled)
            {
                return result;
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>A read cut short by <see cref="PipeReader.CancelPendingRead"/> is the host stopping, not a short body.</summary>
    private static void ThrowIfCanceled(ReadResult result)
    {
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("the read was canceled by the host");
        }
    }

    private static string ShortReadCause(long received) => received == 0 ? "EOF" : "unexpected EOF";

    private readonly record struct Reply(ReadOnlyMemory<byte> Payload, ProtocolError? Error)
    {
        public static Reply Ok(byte[] payload) => new(payload, null);

        public static Reply Fail(ProtocolError error) => new(default, error);
    }
}
