namespace NsqLookup.Http;

/// <summary>The encoded <c>/topics</c> answer and the registry's list it encodes, which is its own version stamp
/// (the registry hands out the same instance until a topic key comes or goes).</summary>
internal sealed class CachedTopics(IReadOnlyList<string> source, JsonBody body)
{
    public IReadOnlyList<string> Source { get; } = source;

    public JsonBody Body { get; } = body;
}
