namespace NsqLookup.Registry;

/// <summary>One peer's <c>/nodes</c> topics, built when first asked for after a change and never mutated; a new
/// instance, with a new <see cref="Version"/>, per version of the row.</summary>
internal sealed class NodeRow(TopicNode[] topics, long version)
{
    public TopicNode[] Topics { get; } = topics;

    /// <summary>Unique across every row of the registry: equal versions mean equal peer and topics.</summary>
    public long Version { get; } = version;
}
