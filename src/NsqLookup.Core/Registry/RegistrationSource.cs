namespace NsqLookup.Registry;

/// <summary>
/// A feed of registrations: today only this daemon's own TCP connections (<see cref="Tcp"/>). A second feed (another
/// instance's registrations, read from a shared store) gets an instance of its own, so its peers can never be taken
/// for a local connection with the same <c>ip:port</c>. Compared by reference.
/// </summary>
internal sealed class RegistrationSource(string name)
{
    /// <summary>nsqd connections accepted by this daemon, identified by their remote <c>ip:port</c>.</summary>
    public static RegistrationSource Tcp { get; } = new("tcp");

    public string Name { get; } = name;

    public override string ToString() => Name;
}
