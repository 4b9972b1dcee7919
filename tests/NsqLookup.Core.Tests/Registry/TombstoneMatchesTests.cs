using NsqLookup.Registry;

namespace NsqLookup.Core.Tests.Registry;

/// <summary><see cref="RegistrationDB.TombstoneMatches"/>: what <c>/topic/tombstone</c> would mark, asked by
/// <c>--data-path</c> before the record is written, and changing nothing.</summary>
public sealed class TombstoneMatchesTests
{
    private readonly RegistryHarness _h = new(tombstoneLifetime: TimeSpan.FromSeconds(45));

    [Fact]
    public void It_CountsWhatATombstoneWouldMarkWithoutMarkingIt()
    {
        var p = _h.Identify("10.0.0.1:1000");
        _h.Register(p, "t");

        _h.Db.TombstoneMatches("t", "nsqd1.example:4151").Should().Be(1);
        _h.Db.TombstoneMatches("t", "nsqd1.example:4152").Should().Be(0);
        _h.Db.TombstoneMatches("other", "nsqd1.example:4151").Should().Be(0);
        _h.LookupIds("t").Should().Equal(p.Id);
        _h.TombstoneFlag(p, "t").Should().BeFalse("nothing was marked");

        _h.Db.Tombstone("t", "nsqd1.example:4151").Should().Be(1, "the count is what the tombstone then marks");
    }
}
