using System.Buffers;
using NsqLookup.Protocol;

namespace NsqLookup.Http;

/// <summary>The GET handlers (nsqlookupd/http.go <c>doInfo</c>, <c>doTopics</c>, <c>doChannels</c>,
/// <c>doLookup</c>, <c>doNodes</c>, <c>doDebug</c>).</summary>
internal sealed partial class HttpApi
{
    private static ApiResult DoInfo() => Json(json =>
    {
        json.WriteStartObject();
        json.WriteString("version", ServerIdentity.Version);
        json.WriteEndObject();
    });

    private ApiResult DoTopics() => ApiResult.Ok(_answers.Topics());

    private ApiResult DoChannels(RequestTarget target)
    {
        if (TopicArg(target, out _, out var topic) is { } error)
        {
            return error;
        }

        var channels = _db.Channels(topic);
        return Json(json =>
        {
            json.WriteStartObject();
            AnswerJson.WriteStrings(json, "channels", channels);
            json.WriteEndObject();
        });
    }

    private ApiResult DoLookup(RequestTarget target)
    {
        if (TopicArg(target, out _, out var topic) is { } error)
        {
            return error;
        }

        // One snapshot for existence, channels and producers (docs/protocol.md, "Deliberate differences" item 11).
        return _answers.Lookup(topic) is { } body ? ApiResult.Ok(body) : ApiResult.Fail(404, ApiErrors.TopicNotFound);
    }

    private ApiResult DoNodes() => ApiResult.Ok(_answers.Nodes());

    private ApiResult DoDebug()
    {
        var registrations = _db.Debug();
        return Json(json =>
        {
            json.WriteStartObject();
            foreach (var registration in registrations)
            {
                json.WritePropertyName(registration.Name);
                json.WriteStartArray();
                foreach (var entry in registration.Entries)
                {
                    // Go marshals a map here, so the keys come out sorted.
                    var peer = entry.Peer;
                    json.WriteStartObject();
                    json.WriteString("broadcast_address", peer.BroadcastAddress);
                    json.WriteString("hostname", peer.Hostname);
                    json.WriteNumber("http_port", peer.HttpPort);
                    json.WriteString("id", peer.Id);
                    json.WriteNumber("last_update", entry.LastUpdateUnixNanos);
                    json.WriteNumber("tcp_port", peer.TcpPort);
                    json.WriteBoolean("tombstoned", entry.Tombstoned);
                    json.WriteNumber("tombstoned_at", entry.TombstonedAtUnixNanos);
                    json.WriteString("topology_region", peer.TopologyRegion);
                    json.WriteString("topology_zone", peer.TopologyZone);
                    json.WriteString("version", peer.Version);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        });
    }

    private static ApiResult Json(Action<GoJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        write(new GoJsonWriter(buffer));
        return ApiResult.Ok(buffer);
    }
}
