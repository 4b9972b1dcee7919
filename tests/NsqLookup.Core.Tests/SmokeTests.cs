namespace NsqLookup.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Names_AcceptAPlainTopic() => Names.IsValid("t").Should().BeTrue();
}
