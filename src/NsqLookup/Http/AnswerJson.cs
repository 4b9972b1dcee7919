using System.Buffers;
using NsqLookup.Registry;

namespace NsqLookup.Http;

/// <summary>The encodings of the cached answers (<c>/topics</c>, <c>/lookup</c>, a <c>/nodes</c> row), byte for byte
/// what the Go original's encoding/json writes for them.</summary>
internal static class AnswerJson
{
    private static readonly ReadOnlyMemory<byte> NodesStart = "{\"producers\":["u8.ToArray();
    private static readonly ReadOnlyMemory<byte> ArrayObjectEnd = "]}"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Comma = ","u8.ToArray();

    /// <summary><c>{"topics":[...]}</c>.</summary>
    public static JsonBody Topics(IReadOnlyList<string> topics)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var json = new GoJsonWriter(buffer);
        json.WriteStartObject();
        WriteStrings(json, "topics", topics);
        json.WriteEndObject();
        return JsonBody.Of(buffer);
    }

    /// <summary><c>{"channels":[...],"producers":[...]}</c> in one exact buffer, built from the producer objects
    /// each peer encoded once.</summary>
    public static JsonBody Lookup(LookupResult lookup, ProducerJson producerJson)
    {
        var head = new ArrayBufferWriter<byte>(64 + (16 * lookup.Channels.Count));
        var json = new GoJsonWriter(head);
        json.WriteStartObject();
        WriteStrings(json, "channels", lookup.Channels);
        json.WritePropertyName("producers");
        json.WriteStartArray();
        var producers = new ReadOnlyMemory<byte>[lookup.Producers.Count];
        for (var i = 0; i < producers.Length; i++)
        {
            producers[i] = producerJson.Object(lookup.Producers[i]);
        }

        return JsonBody.Of(JsonBody.Of(JoinedArray(head.WrittenMemory, producers)).ToArray());
    }

    /// <summary>One <c>/nodes</c> producer: the peer's fields, then <c>tombstones</c> and <c>topics</c>.</summary>
    public static byte[] NodeRow(NodeRow node, ProducerJson producerJson)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (24 * node.Topics.Count));
        var json = new GoJsonWriter(buffer);
        json.WriteStartObject();
        json.WriteRaw(producerJson.Fields(node.Peer));
        json.WritePropertyName("tombstones");
        json.WriteStartArray();
        foreach (var tombstoned in node.Tombstones)
        {
            json.WriteBoolean(tombstoned);
        }

        json.WriteEndArray();
        WriteStrings(json, "topics", node.Topics);
        json.WriteEndObject();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"producers":[...]}</c> from encoded rows, as parts written back to back (never copied into one
    /// large buffer).</summary>
    public static JsonBody Nodes(ReadOnlyMemory<byte>[] rows) => JsonBody.Of(JoinedArray(NodesStart, rows));

    /// <summary>A string array that is never <c>null</c>, even when empty.</summary>
    public static void WriteStrings(GoJsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WritePropertyName(name);
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteString(value);
        }

        json.WriteEndArray();
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
}
