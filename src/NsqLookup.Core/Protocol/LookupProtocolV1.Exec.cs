using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using NsqLookup.Registry;

namespace NsqLookup.Protocol;

/// <summary>The Go original's <c>Exec</c> and its four commands: a whole command in, one reply out.</summary>
internal sealed partial class LookupProtocolV1
{
    private const string Register = "REGISTER";
    private const string Unregister = "UNREGISTER";
    private static readonly byte[] OkPayload = "OK"u8.ToArray();

    private Reply Exec(ClientV1 client, in LookupCommand command) => command.Verb switch
    {
        LookupVerb.Ping => Ping(client),
        LookupVerb.Identify => Identify(client, command),
        LookupVerb.Register => RegisterCommand(client, command),
        LookupVerb.Unregister => UnregisterCommand(client, command),
        _ => Reply.Fail(ProtocolError.InvalidCommand(command.Name)),
    };

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

    private Reply Identify(ClientV1 client, in LookupCommand command)
    {
        // The reader did not read a body for this one: the Go original refuses before reading it.
        if (client.IsIdentified)
        {
            return Reply.Fail(ProtocolError.CannotIdentifyAgain);
        }

        var json = command.Body;
        var body = json.IsSingleSegment
            ? IdentifyDecoder.Decode(json.FirstSpan, out var cause)
            : IdentifyDecoder.Decode(json.ToArray(), out cause);
        if (body is null)
        {
            return Reply.Fail(ProtocolError.FailedToDecodeBody(cause));
        }

        if (!body.HasRequiredFields)
        {
            return Reply.Fail(ProtocolError.MissingFields);
        }

        var peer = body.ToPeer(client.Id);
        _db.Touch(peer);
        Log.Identify(_logger, client.Id, peer.BroadcastAddress, peer.TcpPort, peer.HttpPort, peer.Version);
        client.Peer = peer;
        if (_db.AddProducer(Registration.Client, peer))
        {
            Log.Register(_logger, client.Id, Registration.ClientCategory, "", "");
        }

        return Reply.Ok(IdentifyResponse.Build(_identity));
    }

    private Reply RegisterCommand(ClientV1 client, in LookupCommand command)
    {
        if (client.Peer is not { } peer)
        {
            return Reply.Fail(ProtocolError.MustIdentify);
        }

        if (!TryGetTopicChannel(Register, command, out var topic, out var channel, out var error))
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

    private Reply UnregisterCommand(ClientV1 client, in LookupCommand command)
    {
        if (!client.IsIdentified)
        {
            return Reply.Fail(ProtocolError.MustIdentify);
        }

        if (!TryGetTopicChannel(Unregister, command, out var topic, out var channel, out var error))
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
            // nsqd removes channels before their topic, so the Go original flags this as unusual.
            Log.UnexpectedUnregister(_logger, client.Id, Registration.ChannelCategory, topic, r.SubKey);
        }

        if (removed.RemovedTopic)
        {
            Log.Unregister(_logger, client.Id, Registration.TopicCategory, topic, "");
        }

        return Reply.Ok(OkPayload);
    }

    /// <summary>The Go original's <c>getTopicChan</c>: a topic is required; an empty channel token means "no channel".</summary>
    private static bool TryGetTopicChannel(
        string verb,
        in LookupCommand command,
        out string topic,
        out string? channel,
        out ProtocolError error)
    {
        topic = "";
        channel = null;
        error = ProtocolError.MustIdentify;
        if (command.TokenCount < 2)
        {
            error = ProtocolError.InsufficientParams(verb);
            return false;
        }

        var topicBytes = command.First;
        var channelBytes = command.Second;
        if (!Names.IsValid(topicBytes))
        {
            error = ProtocolError.BadTopic(verb, topicBytes);
            return false;
        }

        if (!channelBytes.IsEmpty && !Names.IsValid(channelBytes))
        {
            error = ProtocolError.BadChannel(verb, channelBytes);
            return false;
        }

        // Valid names are ASCII, so this decoding is lossless.
        topic = Encoding.ASCII.GetString(topicBytes);
        channel = channelBytes.IsEmpty ? null : Encoding.ASCII.GetString(channelBytes);
        return true;
    }

    private readonly record struct Reply(ReadOnlyMemory<byte> Payload, ProtocolError? Error)
    {
        public static Reply Ok(byte[] payload) => new(payload, null);

        public static Reply Fail(ProtocolError error) => new(default, error);
    }
}
