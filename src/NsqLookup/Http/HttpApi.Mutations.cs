using NsqLookup.Persistence;
using NsqLookup.Registry;

namespace NsqLookup.Http;

/// <summary>The POST handlers (nsqlookupd/http.go <c>doCreateTopic</c>, <c>doDeleteTopic</c>,
/// <c>doTombstoneTopicProducer</c>, <c>doCreateChannel</c>, <c>doDeleteChannel</c>). Names are literal:
/// <c>*</c> is never a wildcard (spec §8 item 5, deviation: safer).</summary>
internal sealed partial class HttpApi
{
    // Each handler applies its change and names what it did inside _journal.ApplyAsync, then answers once that is
    // durable (--data-path; without it the change is all there is). Validation failures never reach the journal.
    private async ValueTask<ApiResult> DoCreateTopicAsync(RequestTarget target)
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
        await _journal.ApplyAsync(() =>
        {
            _db.AddRegistration(Registration.Topic(topic));
            return [AdminAction.CreateTopic(topic)];
        }).ConfigureAwait(false);
        return ApiResult.Empty;
    }

    private async ValueTask<ApiResult> DoDeleteTopicAsync(RequestTarget target)
    {
        if (TopicArg(target, out _, out var topic) is { } error)
        {
            return error;
        }

        await _journal.ApplyAsync(() =>
        {
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

            return [AdminAction.DeleteTopic(topic)];
        }).ConfigureAwait(false);
        return ApiResult.Empty;
    }

    private async ValueTask<ApiResult> DoTombstoneTopicProducerAsync(RequestTarget target)
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
        var at = _time.GetUtcNow();

        // Kept only when it marked an entry: one that matched nothing had no effect, and must not gain one after a restart.
        await _journal.ApplyAsync(() => _db.Tombstone(topic, node) > 0 ? [AdminAction.Tombstone(topic, node, at)] : [])
            .ConfigureAwait(false);
        return ApiResult.Empty;
    }

    private async ValueTask<ApiResult> DoCreateChannelAsync(RequestTarget target)
    {
        if (TopicChannelArgs(target, out var topic, out var channel) is { } error)
        {
            return error;
        }

        LogAddingChannel(channel, topic);
        LogAddingTopic(topic);
        await _journal.ApplyAsync(() =>
        {
            _db.AddRegistration(Registration.Channel(topic, channel));
            _db.AddRegistration(Registration.Topic(topic));
            return [AdminAction.CreateChannel(topic, channel), AdminAction.CreateTopic(topic)];
        }).ConfigureAwait(false);
        return ApiResult.Empty;
    }

    private async ValueTask<ApiResult> DoDeleteChannelAsync(RequestTarget target)
    {
        if (TopicChannelArgs(target, out var topic, out var channel) is { } error)
        {
            return error;
        }

        var removed = false;
        await _journal.ApplyAsync(() =>
        {
            removed = _db.DeleteChannel(topic, channel);
            return removed ? [AdminAction.DeleteChannel(topic, channel)] : [];
        }).ConfigureAwait(false);
        if (!removed)
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
