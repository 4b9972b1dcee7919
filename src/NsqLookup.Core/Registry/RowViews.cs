using System.Collections;

namespace NsqLookup.Registry;

/// <summary>One peer's <c>/nodes</c> topics, built when first asked for after a change and never mutated: a new
/// instance per version of the row, so the instance itself identifies the row's content.</summary>
internal sealed class NodeRow(TopicNode[] topics)
{
    public TopicNode[] Topics { get; } = topics;
}

/// <summary>The names of an immutable <c>/nodes</c> row, read through instead of copied.</summary>
internal sealed class TopicNames(TopicNode[] row) : IReadOnlyList<string>
{
    public int Count => row.Length;

    public string this[int index] => row[index].Name;

    public IEnumerator<string> GetEnumerator()
    {
        foreach (var topic in row)
        {
            yield return topic.Name;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The tombstone flags of a row with no tombstone: all false.</summary>
internal sealed class NoTombstones(int count) : IReadOnlyList<bool>
{
    public int Count => count;

    public bool this[int index] => (uint)index < (uint)count ? false : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<bool> GetEnumerator() => Enumerable.Repeat(false, count).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
