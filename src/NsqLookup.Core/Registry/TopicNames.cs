using System.Collections;

namespace NsqLookup.Registry;

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
