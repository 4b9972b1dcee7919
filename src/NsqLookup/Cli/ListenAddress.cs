using System.Globalization;
using System.Net;

namespace NsqLookup.Cli;

// TEMPORARY stub, replaced by the cli branch's version at merge.
internal static class ListenAddress
{
    public static IPEndPoint Parse(string address)
    {
        var colon = address.LastIndexOf(':');
        var host = address[..colon].Trim('[', ']');
        var port = int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture);
        if (host is "" or "0.0.0.0" or "::")
        {
            return new IPEndPoint(IPAddress.IPv6Any, port);
        }

        return new IPEndPoint(IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0], port);
    }
}
