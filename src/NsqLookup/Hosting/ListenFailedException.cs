using System.Net.Sockets;

namespace NsqLookup.Hosting;

/// <summary>A listener could not be set up; Program turns it into the Go original's FATAL line and exit 1.</summary>
public sealed class ListenFailedException : Exception
{
    public ListenFailedException(string address, string detail, Exception? inner = null)
        : base($"listen ({address}) failed - {detail}", inner) => Address = address;

    public ListenFailedException()
    {
        Address = "";
    }

    public ListenFailedException(string message)
        : base(message) => Address = "";

    public ListenFailedException(string message, Exception inner)
        : base(message, inner) => Address = "";

    public string Address { get; }

    /// <summary>A bind failure, worded like Go's <c>listen tcp 127.0.0.1:4160: bind: address already in use</c>.</summary>
    public static ListenFailedException Bind(string address, SocketException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var why = error.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => "address already in use",
            SocketError.AddressNotAvailable => "cannot assign requested address",
            SocketError.AccessDenied => "permission denied",
            _ => error.Message,
        };
        return new ListenFailedException(address, $"listen tcp {address}: bind: {why}", error);
    }

    /// <summary>An address that does not parse, worded like Go's <c>listen tcp: address x: missing port in address</c>.</summary>
    public static ListenFailedException Invalid(string address, string error) =>
        new(address, $"listen tcp: {error}");
}
