using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NsqLookup.Cli;

/// <summary>
/// A Go <c>net.Listen("tcp", …)</c> address (<c>host:port</c>, <c>[v6]:port</c>, <c>:port</c>) turned into
/// something to bind. A wildcard host (empty, <c>0.0.0.0</c>, <c>::</c>) binds dual-stack <c>[::]</c> like Go
/// does (falling back to <c>0.0.0.0</c> without IPv6); a hostname is resolved once, preferring IPv4 as Go does.
/// </summary>
/// <param name="Text">The address as configured, for messages like <c>listen (&lt;addr&gt;) failed</c>.</param>
/// <param name="EndPoint">What to bind; port 0 asks the OS for a free port.</param>
/// <param name="DualMode">Set <see cref="Socket.DualMode"/> so IPv4 clients reach the IPv6 wildcard socket.</param>
internal sealed record ListenAddress(string Text, IPEndPoint EndPoint, bool DualMode)
{
    public static bool TryParse(
        string text,
        [NotNullWhen(true)] out ListenAddress? result,
        [NotNullWhen(false)] out string? error) => TryParse(text, Dns.GetHostAddresses, out result, out error);

    /// <param name="resolve">Hostname lookup (tests substitute it).</param>
    internal static bool TryParse(
        string text,
        Func<string, IPAddress[]> resolve,
        [NotNullWhen(true)] out ListenAddress? result,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        result = null;
        if (!TrySplitHostPort(text, out var host, out var portText, out error))
            return false;
        if (!TryParsePort(portText, out var port, out error))
            return false;

        IPAddress address;
        var dualMode = false;
        if (host.Length == 0 || (IPAddress.TryParse(host, out var literal) && IsWildcard(literal)))
        {
            dualMode = Socket.OSSupportsIPv6;
            address = dualMode ? IPAddress.IPv6Any : IPAddress.Any;
        }
        else if (IPAddress.TryParse(host, out literal))
        {
            address = literal;
        }
        else
        {
            IPAddress[] found;
            try
            {
                found = resolve(host);
            }
            catch (Exception ex) when (ex is SocketException or ArgumentException)
            {
                error = $"lookup {host}: {ex.Message}";
                return false;
            }

            var first = found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault();
            if (first is null)
            {
                error = $"lookup {host}: no such host";
                return false;
            }

            address = first;
        }

        result = new ListenAddress(text, new IPEndPoint(address, port), dualMode);
        error = null;
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the Go-style error; see <see cref="TryParse(string, out ListenAddress?, out string?)"/>.</summary>
    /// <returns>The endpoint to bind: <see cref="IPAddress.IPv6Any"/> for a wildcard (bind it with DualMode).</returns>
    public static IPEndPoint Parse(string text) =>
        TryParse(text, out var result, out var error) ? result.EndPoint : throw new FormatException(error);

    /// <summary>A stream socket of the right family, with <see cref="DualMode"/> applied; not yet bound.</summary>
    public Socket CreateSocket()
    {
        var socket = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (DualMode)
            socket.DualMode = true;
        return socket;
    }

    private static bool IsWildcard(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    // Go's net.SplitHostPort, with its error texts ("address <a>: <why>").
    private static bool TrySplitHostPort(string hostport, out string host, out string port, [NotNullWhen(false)] out string? error)
    {
        host = port = "";
        error = null;
        const string MissingPort = "missing port in address";
        const string TooManyColons = "too many colons in address";
        var i = hostport.LastIndexOf(':');
        if (i < 0)
            return Fail(hostport, MissingPort, out error);

        int j = 0, k = 0;
        if (hostport[0] == '[')
        {
            var end = hostport.IndexOf(']', StringComparison.Ordinal);
            if (end < 0)
                return Fail(hostport, "missing ']' in address", out error);
            if (end + 1 == hostport.Length)
                return Fail(hostport, MissingPort, out error);
            if (end + 1 != i)
                return Fail(hostport, hostport[end + 1] == ':' ? TooManyColons : MissingPort, out error);
            host = hostport[1..end];
            (j, k) = (1, end + 1);
        }
        else
        {
            host = hostport[..i];
            if (host.Contains(':', StringComparison.Ordinal))
                return Fail(hostport, TooManyColons, out error);
        }

        if (hostport.IndexOf('[', j) >= 0)
            return Fail(hostport, "unexpected '[' in address", out error);
        if (hostport.IndexOf(']', k) >= 0)
            return Fail(hostport, "unexpected ']' in address", out error);

        port = hostport[(i + 1)..];
        return true;
    }

    // Go's parsePort: empty means 0; service names (e.g. "http") are not looked up here.
    private static bool TryParsePort(string text, out int port, [NotNullWhen(false)] out string? error)
    {
        port = 0;
        error = null;
        if (text.Length == 0)
            return true;
        var negative = text[0] == '-';
        var digits = text[0] is '+' or '-' ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            error = $"lookup tcp/{text}: unknown port";
            return false;
        }

        if (negative || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > IPEndPoint.MaxPort)
        {
            port = 0;
            error = $"address {text}: invalid port";
            return false;
        }

        return true;
    }

    private static bool Fail(string address, string why, out string error)
    {
        error = $"address {address}: {why}";
        return false;
    }
}
