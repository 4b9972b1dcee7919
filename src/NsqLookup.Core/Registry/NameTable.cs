using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NsqLookup.Registry;

/// <summary>
/// One string instance per distinct topic or channel name, however many times the wire decodes it. Each key that
/// holds a name counts as a reference; the name leaves the table with its last key. Guarded by the DB lock.
/// </summary>
internal sealed class NameTable
{
    private readonly Dictionary<string, (string Name, int Refs)> _names = new(StringComparer.Ordinal);

    /// <summary>The shared instance equal to <paramref name="name"/>, adding one reference.</summary>
    public string Acquire(string name)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_names, name, out var exists);
        if (!exists)
        {
            slot.Name = name;
        }

        slot.Refs++;
        return slot.Name;
    }

    public void Release(string name)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_names, name);
        if (!Unsafe.IsNullRef(ref slot) && --slot.Refs == 0)
        {
            _names.Remove(name);
        }
    }
}
