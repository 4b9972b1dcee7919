using NsqLookup.Protocol;
using NsqLookup.Registry;

namespace NsqLookup.Http;

/// <summary>The POST handlers (nsqlookupd/http.go <c>doCreateTopic</c>, <c>doDeleteTopic</c>,
/// <c>doTombstoneTopicProducer</c>, <c>doCreateChannel</c>, <c>doDeleteChannel</c>). Names are literal:
/// <c>*</c> is never a wildcard (spec §8 item 5, deviation: safer).</summary>
internal sealed partial class HttpApi
{
    private ApiResult DoCreateTopic(RequestTarget target)
    {
        if (TopicArg(target, out _, out var topic) is { } error)
        {
            return error;
        }

        if (!Names.IsValid(topic))
        {
            return ApiResult.Fail(400, ApiErrors.InvalidArgTopic);
        }

        LogAddingTopic(topic);
        _db.AddRegistration(Registration.Topic(topic));
        return ApiResult.Empty;
    }

    private ApiResult DoDeleteTopic(RequestTarget target)
    {
        if (TopicArg(target, out _, out var topic) is { } error)
        {
            return error;
        }

        // As the Go original: every channel key of the topic, then the topic key, one line per key removed.
        foreach (var removed in _db.DeleteTopic(topic))
        {
            if (removed.IsTopic)
            {
                LogRemovingTopic(topic);
            }
            else
            {
                LogRemovingChannel(removed.SubKey, topic);
            }
        }

        return ApiResult.Empty;
    }

    private ApiResult DoTombstoneTopicProducer(RequestTarget target)
    {
        if (TopicArg(target, out var query, out var topic) is { } error)
        {
            return error;
        }

        if (!query.TryGet("node", out var node))
        {
            return ApiResult.Fail(400, ApiErrors.MissingArgNode);
        }

        LogSettingTombstone(node, topic);
        _db.Tombstone(topic, node);
        return ApiResult.Empty;
    }

    private ApiResult DoCreateChannel(RequestTarget target)
    {
        if (TopicChannelArgs(target, out var topic, out var channel) is { } error)
        {
            return error;
        }

        LogAddingChannel(channel, topic);
        _db.AddRegistration(Registration.Channel(topic, channel));
        LogAddingTopic(topic);
        _db.AddRegistration(Registration.Topic(topic));
        return ApiResult.Empty;
    }

    private ApiResult DoDeleteChannel(RequestTarget target)
    {
        if (TopicChannelArgs(target, out var topic, out var channel) is { } error)
        {
            return error;
        }

        if (!_db.DeleteChannel(topic, channel))
        {
            return ApiResult.Fail(404, ApiErrors.ChannelNotFound);
        }

        LogRemovingChannel(channel, topic);
        return ApiResult.Empty;
    }

    /// <summary><c>http_api.GetTopicChannelArgs</c>, after the parse check: topic present and valid, then channel
    /// present and valid. Null when all is well.</summary>
    private static ApiResult? TopicChannelArgs(RequestTarget target, out string topic, out string channel)
    {
        topic = channel = "";
        if (TopicArg(target, out var query, out var t) is { } error)
        {
            return error;
        }

        if (!Names.IsValid(t))
        {
            return ApiResult.Fail(400, ApiErrors.InvalidArgTopic);
        }

        if (!query.TryGet("channel", out var c))
        {
            return ApiResult.Fail(400, ApiErrors.MissingArgChannel);
        }

        if (!Names.IsValid(c))
        {
            return ApiResult.Fail(400, ApiErrors.InvalidArgChannel);
        }

        topic = t;
        channel = c;
        return null;
    }
}
