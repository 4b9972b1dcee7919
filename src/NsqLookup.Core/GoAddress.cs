using System.Globalization;
using System.Net;

namespace NsqLookup;

// TEMPORARY stub, replaced by the cli branch's version at merge.
public static class GoAddress
{
    public static string Format(EndPoint? endPoint)
    {
        if (endPoint is not IPEndPoint ip)
        {
            return endPoint?.ToString() ?? "";
        }

        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        var port = ip.Port.ToString(CultureInfo.InvariantCulture);
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]:{port}"
            : $"{address}:{port}";
    }
}
