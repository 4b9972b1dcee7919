using NsqLookup.Registry;

namespace NsqLookup.Http;

/// <summary>An encoded <c>/lookup</c> answer and the registry's version stamp of the answer it encodes. Compared by
/// reference: the cache removes exactly the entry it looked at.</summary>
internal sealed class CachedLookup(LookupStamp stamp, JsonBody body)
{
    public LookupStamp Stamp { get; } = stamp;

    public JsonBody Body { get; } = body;
}
