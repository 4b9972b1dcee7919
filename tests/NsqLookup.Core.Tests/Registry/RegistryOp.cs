namespace NsqLookup.Core.Tests.Registry;

/// <summary>One step of a random session: <see cref="Kind"/> picks the command, the indexes pick a connection,
/// a name from the small pools of <see cref="RegistryModelTests"/>, a node string or a time step.</summary>
internal readonly record struct RegistryOp(RegistryOpKind Kind, int Conn, int Topic, int Channel, int Arg)
{
    public override string ToString() => $"{Kind}(conn {Conn}, topic {Topic}, channel {Channel}, arg {Arg})";
}

internal enum RegistryOpKind
{
    Identify,
    Ping,
    Register,
    Unregister,
    Disconnect,
    Tombstone,
    CreateTopic,
    CreateChannel,
    DeleteTopic,
    DeleteChannel,
    Advance,

    /// <summary>The connection closes, but only the O(1) detach runs; its entries wait for a <see cref="Release"/>.</summary>
    Detach,

    /// <summary>Releases one detached peer's entries (what the daemon's release worker does).</summary>
    Release,
}
