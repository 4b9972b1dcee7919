using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NsqLookup.Security;

/// <summary>
/// One entry of an allowlist: <c>10.0.0.0/8</c>, <c>fd00::/8</c>, or a bare address (a /32 or /128). Host bits past
/// the prefix are ignored, as Go's <c>net.ParseCIDR</c> does. An IPv4-mapped IPv6 entry (<c>::ffff:10.0.0.0/104</c>)
/// is stored as the IPv4 block it names, and an IPv4-mapped peer is compared as IPv4, so a dual-stack listener's
/// peers match IPv4 entries.
/// </summary>
internal sealed class CidrBlock
{
    private readonly byte[] _network;

    private CidrBlock(byte[] network, int prefixLength, string text)
    {
        _network = network;
        PrefixLength = prefixLength;
        Text = text;
    }

    public int PrefixLength { get; }

    /// <summary>The entry as written, for messages.</summary>
    public string Text { get; }

    public AddressFamily Family => _network.Length == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    public static bool TryParse(string text, [NotNullWhen(true)] out CidrBlock? block, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        block = null;
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? trimmed : trimmed[..slash];

        // IPAddress.TryParse also takes "10", "10.1" and scope ids; an allowlist entry must be written out in full.
        if (addressText.Length == 0 || addressText.Contains('%', StringComparison.Ordinal)
            || !IPAddress.TryParse(addressText, out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3))
        {
            error = $"{Quote(text)} is not an IP address or CIDR block (like 10.0.0.0/8, fd00::/8 or 127.0.0.1)";
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0)
        {
            var prefixText = trimmed[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits)
            {
                error = $"{Quote(text)} has an invalid prefix length (0 to {bits} for {(bits == 32 ? "IPv4" : "IPv6")})";
                return false;
            }
        }

        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        var bytes = address.GetAddressBytes();
        Mask(bytes, prefix);
        block = new CidrBlock(bytes, prefix, trimmed);
        error = null;
        return true;
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length) || length != _network.Length)
        {
            return false;
        }

        var full = PrefixLength / 8;
        if (!bytes[..full].SequenceEqual(_network.AsSpan(0, full)))
        {
            return false;
        }

        var rest = PrefixLength % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (bytes[full] & mask) == _network[full];
    }

    public override string ToString() => Text;

    private static void Mask(byte[] bytes, int prefix)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
    }

    private static string Quote(string s) => "\"" + s + "\"";
}
