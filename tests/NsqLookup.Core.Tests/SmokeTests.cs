namespace NsqLookup.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Names_accept_a_plain_topic() => Names.IsValid("t").Should().BeTrue();
}
