using System.Buffers;
using NsqLookup.Protocol;
using NsqLookup.Registry;

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

    private ApiResult DoTopics()
    {
        // The registry hands out the same immutable list until a topic is added or removed, so the encoded
        // answer is reused until then: a poll of a large directory costs a copy, not a re-encoding.
        var topics = _db.Topics();
        if (_topicsAnswer is { } cached && ReferenceEquals(cached.Source, topics))
        {
            return cached.Result;
        }

        var result = Json(json =>
        {
            json.WriteStartObject();
            WriteStrings(json, "topics", topics);
            json.WriteEndObject();
        });
        _topicsAnswer = new CachedAnswer(topics, result);
        return result;
    }

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
            WriteStrings(json, "channels", channels);
            json.WriteEndObject();
        });
    }

    private ApiResult DoLookup(RequestTarget target)
    {
        if (TopicArg(target, out _, out var topic) is { } error)
        {
            return error;
        }

        // One snapshot for existence, channels and producers (spec §8 item 11).
        if (_db.Lookup(topic) is not { } lookup)
        {
            return ApiResult.Fail(404, ApiErrors.TopicNotFound);
        }

        return Json(json =>
        {
            json.WriteStartObject();
            WriteStrings(json, "channels", lookup.Channels);
            json.WritePropertyName("producers");
            json.WriteStartArray();
            foreach (var peer in lookup.Producers)
            {
                json.WriteStartObject();
                WriteProducerFields(json, peer);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private ApiResult DoNodes()
    {
        var nodes = _db.Nodes();
        return Json(json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("producers");
            json.WriteStartArray();
            foreach (var node in nodes)
            {
                json.WriteStartObject();
                WriteProducerFields(json, node.Peer);
                json.WritePropertyName("tombstones");
                json.WriteStartArray();
                foreach (var tombstoned in node.Tombstones)
                {
                    json.WriteBoolean(tombstoned);
                }

                json.WriteEndArray();
                WriteStrings(json, "topics", node.Topics);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

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

    /// <summary>The anchor's <c>PeerInfo</c> struct fields, in struct order (spec §4.5), encoded once per peer.</summary>
    private static void WriteProducerFields(GoJsonWriter json, PeerInfo peer) => json.WriteRaw(peer.ProducerFieldsJson);

    /// <summary>A string array that is never <c>null</c>, even when empty.</summary>
    private static void WriteStrings(GoJsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WritePropertyName(name);
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteString(value);
        }

        json.WriteEndArray();
    }

    private sealed record CachedAnswer(object Source, ApiResult Result);

    private static ApiResult Json(Action<GoJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        write(new GoJsonWriter(buffer));
        return ApiResult.Ok(buffer);
    }
}
