using System.Collections;

namespace NsqLookup.Registry;

/// <summary>The tombstone flags of a row with no tombstone: all false.</summary>
internal sealed class NoTombstones(int count) : IReadOnlyList<bool>
{
    public int Count => count;

    public bool this[int index] => (uint)index < (uint)count ? false : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<bool> GetEnumerator() => Enumerable.Repeat(false, count).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
