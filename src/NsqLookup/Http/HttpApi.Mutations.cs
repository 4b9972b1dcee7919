using NsqLookup.Persistence;
using NsqLookup.Registry;

namespace NsqLookup.Http;

/// <summary>The POST handlers (nsqlookupd/http.go <c>doCreateTopic</c>, <c>doDeleteTopic</c>,
/// <c>doTombstoneTopicProducer</c>, <c>doCreateChannel</c>, <c>doDeleteChannel</c>). Names are literal:
/// <c>*</c> is never a wildcard (docs/protocol.md, "Deliberate differences" item 5).</summary>
internal sealed partial class HttpApi
{
    // Journal first (docs/persistence.md): each handler names the records its action needs (reading the registry,
    // changing nothing), and its registry change runs only once they are durable, so a reader never sees an action
    // before its fsync and a failed write (an IOException: logged, 500 INTERNAL_ERROR) changes nothing. Without
    // --data-path the change is applied at once. Validation failures never reach the journal, nor does an action
    // the journal could not store (400, RefusedAsync).
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
        return await CommitAsync(() => [AdminAction.CreateTopic(topic)], () => _db.AddRegistration(Registration.Topic(topic)))
            .ConfigureAwait(false) ?? ApiResult.Empty;
    }

    private async ValueTask<ApiResult> DoDeleteTopicAsync(RequestTarget target)
    {
        if (TopicArg(target, out _, out var topic) is { } error)
        {
            return error;
        }

        return await CommitAsync(() => [AdminAction.DeleteTopic(topic)], () =>
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
        }).ConfigureAwait(false) ?? ApiResult.Empty;
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

        // Kept only when it marks an entry: one that matches nothing has no effect, and must not gain one after a restart.
        return await CommitAsync(
            () => _db.TombstoneMatches(topic, node) > 0 ? [AdminAction.Tombstone(topic, node, at)] : [],
            () => _db.Tombstone(topic, node)).ConfigureAwait(false) ?? ApiResult.Empty;
    }

    private async ValueTask<ApiResult> DoCreateChannelAsync(RequestTarget target)
    {
        if (TopicChannelArgs(target, out var topic, out var channel) is { } error)
        {
            return error;
        }

        LogAddingChannel(channel, topic);
        LogAddingTopic(topic);
        return await CommitAsync(() => [AdminAction.CreateChannel(topic, channel), AdminAction.CreateTopic(topic)], () =>
        {
            _db.AddRegistration(Registration.Channel(topic, channel));
            _db.AddRegistration(Registration.Topic(topic));
        }).ConfigureAwait(false) ?? ApiResult.Empty;
    }

    private async ValueTask<ApiResult> DoDeleteChannelAsync(RequestTarget target)
    {
        if (TopicChannelArgs(target, out var topic, out var channel) is { } error)
        {
            return error;
        }

        // The record is written when the key exists now; the answer is what the delete found once durable (an
        // ephemeral channel may have gone meanwhile: deleting what is absent changes nothing on replay either).
        var removed = false;
        if (await CommitAsync(
            () => _db.Channels(topic).Contains(channel, StringComparer.Ordinal) ? [AdminAction.DeleteChannel(topic, channel)] : [],
            () => removed = _db.DeleteChannel(topic, channel)).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (!removed)
        {
            return ApiResult.Fail(404, ApiErrors.ChannelNotFound);
        }

        LogRemovingChannel(channel, topic);
        return ApiResult.Empty;
    }

    /// <summary>Journals the planned records and applies the change once they are durable; null when done (or
    /// nothing was needed), a 400 when the journal cannot store a record. A failed write throws.</summary>
    private async ValueTask<ApiResult?> CommitAsync(Func<IReadOnlyList<AdminAction>> plan, Action apply)
    {
        try
        {
            await _journal.CommitAsync(plan, apply).ConfigureAwait(false);
            return null;
        }
        catch (AdminActionRefusedException ex)
        {
            LogRefused(ex.Message);
            return ApiResult.Fail(400, ex.Message);
        }
        catch (IOException ex)
        {
            LogNotApplied(ex.Message);
            return ApiResult.Fail(500, ApiErrors.InternalError);
        }
    }

    [LoggerMessage(LogLevel.Warning, "DATA: admin action refused, --data-path cannot keep it - {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(LogLevel.Error, "DATA: admin action not applied, its record could not be written - {Error}")]
    private partial void LogNotApplied(string error);

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
