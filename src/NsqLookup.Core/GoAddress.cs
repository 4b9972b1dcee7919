using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NsqLookup;

/// <summary>Prints endpoints the way Go's <c>net.TCPAddr.String()</c> does, for logs and IDENTIFY.</summary>
internal static class GoAddress
{
    /// <summary>
    /// <c>127.0.0.1:5</c>, <c>[::1]:5</c>, <c>[::]:4160</c>; an IPv4-mapped IPv6 address prints as plain IPv4.
    /// Any other endpoint kind prints with its own <c>ToString()</c>, a missing one as Go's <c>&lt;nil&gt;</c>.
    /// </summary>
    public static string Format(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => Format(ip.Address, ip.Port),
        null => "<nil>",
        _ => endPoint.ToString() ?? string.Empty,
    };

    public static string Format(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        var portText = port.ToString(CultureInfo.InvariantCulture);
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + address + "]:" + portText
            : address + ":" + portText;
    }
}
