namespace NsqLookup.Registry;

/// <summary>One <c>/debug</c> member: <c>category:key:subkey</c> and its entries.</summary>
internal sealed record DebugRegistration(string Name, IReadOnlyList<DebugEntry> Entries);
