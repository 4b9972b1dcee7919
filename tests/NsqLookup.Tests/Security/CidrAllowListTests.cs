using System.Net;
using NsqLookup.Security;

namespace NsqLookup.Tests.Security;

/// <summary>The allowlist entries: IPv4 and IPv6 blocks, bare addresses, IPv4-mapped peers, and clear parse errors.</summary>
public sealed class CidrAllowListTests
{
    [Theory]
    [InlineData("127.0.0.1/32", "127.0.0.1", true)]
    [InlineData("127.0.0.1/32", "127.0.0.2", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("10.1.2.3/8", "10.9.9.9", true)] // host bits ignored, as net.ParseCIDR does
    [InlineData("192.168.4.0/22", "192.168.7.255", true)]
    [InlineData("192.168.4.0/22", "192.168.8.0", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("0.0.0.0/0", "::1", false)] // an IPv4 block never matches a real IPv6 peer
    [InlineData("::1/128", "::1", true)]
    [InlineData("::1", "::2", false)]
    [InlineData("fd00::/8", "fd12:3456::1", true)]
    [InlineData("fd00::/8", "fe80::1", false)]
    [InlineData("127.0.0.1/32", "::ffff:127.0.0.1", true)] // a dual-stack listener's IPv4 peer
    [InlineData("10.0.0.0/8", "::ffff:10.1.1.1", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.1.1.1", false)]
    [InlineData("::ffff:10.0.0.0/104", "10.3.3.3", true)] // a mapped entry is the IPv4 block it names
    [InlineData("::/0", "2001:db8::1", true)]
    public void AnEntry_MatchesTheAddressesOfItsBlock(string entry, string address, bool expected)
    {
        CidrAllowList.TryParse([entry], out var list, out var error).Should().BeTrue(error);
        list!.Contains(IPAddress.Parse(address)).Should().Be(expected);
    }

    [Fact]
    public void ValuesHoldCommaSeparatedEntriesAnd_AddUp()
    {
        CidrAllowList.TryParse(["10.0.0.0/8, 192.168.0.0/16", "::1"], out var list, out _).Should().BeTrue();
        list!.Blocks.Select(b => b.Text).Should().Equal("10.0.0.0/8", "192.168.0.0/16", "::1");
        list.Contains(IPAddress.Parse("192.168.1.1")).Should().BeTrue();
        list.Contains(null).Should().BeFalse();
    }

    [Theory]
    [InlineData("10.0.0.0/33", "has an invalid prefix length (0 to 32 for IPv4)")]
    [InlineData("::/129", "has an invalid prefix length (0 to 128 for IPv6)")]
    [InlineData("10.0.0.0/", "has an invalid prefix length")]
    [InlineData("10.0.0.0/-1", "has an invalid prefix length")]
    [InlineData("10.0.0.0/8/8", "has an invalid prefix length")]
    [InlineData("10.0", "is not an IP address or CIDR block")]
    [InlineData("nsqadmin.example", "is not an IP address or CIDR block")]
    [InlineData("fe80::1%eth0", "is not an IP address or CIDR block")]
    [InlineData("/8", "is not an IP address or CIDR block")]
    [InlineData("10.0.0.0/8,", "empty entry")]
    [InlineData("", "empty entry")]
    public void ABadEntry_IsNamedInTheError(string value, string expected)
    {
        CidrAllowList.TryParse([value], out _, out var error).Should().BeFalse();
        error.Should().Contain(expected);
    }
}
