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

        if (lookup.Cached is JsonBody cached)
        {
            return ApiResult.Ok(cached);
        }

        // Built from the producer objects each peer encoded once, into one exact buffer, which the registry keeps
        // until the answer changes (a producer comes, goes, is tombstoned or turns inactive; a channel is added).
        var head = new ArrayBufferWriter<byte>(64 + (16 * lookup.Channels.Count));
        var json = new GoJsonWriter(head);
        json.WriteStartObject();
        WriteStrings(json, "channels", lookup.Channels);
        json.WritePropertyName("producers");
        json.WriteStartArray();
        var producers = new ReadOnlyMemory<byte>[lookup.Producers.Count];
        for (var i = 0; i < producers.Length; i++)
        {
            producers[i] = lookup.Producers[i].ProducerObjectJson;
        }

        var joined = JsonBody.Of(JoinedArray(head.WrittenMemory, producers));
        var body = JsonBody.Of(joined.ToArray());
        _db.CacheLookup(lookup, body, body.Length);
        return ApiResult.Ok(body);
    }

    private ApiResult DoNodes()
    {
        // Each row is encoded once per version of it (NodeView.Row) and the answer is the cached rows back to back,
        // written part by part: a poll of a large directory costs a walk of the peers, not a re-encoding of every
        // registration, nor a copy of the whole answer into one buffer.
        var nodes = _db.Nodes();
        var rows = new ReadOnlyMemory<byte>[nodes.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = NodeRowJson(nodes[i]);
        }

        return ApiResult.Ok(JsonBody.Of(JoinedArray(NodesStart, rows)));
    }

    /// <summary><paramref name="head"/> (which ends with <c>[</c>), the items separated by commas, then <c>]}</c>.</summary>
    private static List<ReadOnlyMemory<byte>> JoinedArray(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte>[] items)
    {
        var parts = new List<ReadOnlyMemory<byte>>((2 * items.Length) + 2) { head };
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                parts.Add(Comma);
            }

            parts.Add(items[i]);
        }

        parts.Add(ArrayObjectEnd);
        return parts;
    }

    private byte[] NodeRowJson(NodeView node)
    {
        if (node.Row is { } row && _nodeRows.TryGetValue(row, out var cached))
        {
            return cached;
        }

        var buffer = new ArrayBufferWriter<byte>(256 + (24 * node.Topics.Count));
        var json = new GoJsonWriter(buffer);
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
        var bytes = buffer.WrittenSpan.ToArray();
        if (node.Row is { } stamp)
        {
            _nodeRows.AddOrUpdate(stamp, bytes);
        }

        return bytes;
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

    /// <summary>The Go original's <c>PeerInfo</c> struct fields, in struct order (spec §4.5), encoded once per
    /// peer.</summary>
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

    private static readonly ReadOnlyMemory<byte> NodesStart = "{\"producers\":["u8.ToArray();
    private static readonly ReadOnlyMemory<byte> ArrayObjectEnd = "]}"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Comma = ","u8.ToArray();

    private sealed record CachedAnswer(object Source, ApiResult Result);

    private static ApiResult Json(Action<GoJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        write(new GoJsonWriter(buffer));
        return ApiResult.Ok(buffer);
    }
}
