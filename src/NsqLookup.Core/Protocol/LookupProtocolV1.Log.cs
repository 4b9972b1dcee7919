using Microsoft.Extensions.Logging;

namespace NsqLookup.Protocol;

/// <summary>The Go original's TCP log lines (docs/protocol.md, "Logs"), worded identically so operators' greps keep
/// working.</summary>
internal sealed partial class LookupProtocolV1
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "CLIENT({Peer}): IDENTIFY Address:{BroadcastAddress} TCP:{TcpPort} HTTP:{HttpPort} Version:{Version}")]
        public static partial void Identify(ILogger logger, string peer, string broadcastAddress, long tcpPort, long httpPort, string version);

        [LoggerMessage(2, LogLevel.Information, "DB: client({Peer}) REGISTER category:{Category} key:{Key} subkey:{SubKey}")]
        public static partial void Register(ILogger logger, string peer, string category, string key, string subKey);

        [LoggerMessage(3, LogLevel.Information, "DB: client({Peer}) UNREGISTER category:{Category} key:{Key} subkey:{SubKey}")]
        public static partial void Unregister(ILogger logger, string peer, string category, string key, string subKey);

        [LoggerMessage(4, LogLevel.Warning, "client({Peer}) unexpected UNREGISTER category:{Category} key:{Key} subkey:{SubKey}")]
        public static partial void UnexpectedUnregister(ILogger logger, string peer, string category, string key, string subKey);

        // INFO in the original; DEBUG with --quiet-pings (LookupProtocolLogging.PingLevel).
        [LoggerMessage(EventId = 5, Message = "CLIENT({Peer}): pinged (last ping {LastPing})")]
        public static partial void Pinged(ILogger logger, LogLevel level, string peer, string lastPing);

        [LoggerMessage(6, LogLevel.Error, "[{Peer}] - {Error}")]
        public static partial void ProtocolError(ILogger logger, string peer, string error);

        [LoggerMessage(7, LogLevel.Error, "[{Peer}] - {Error} - {Cause}")]
        public static partial void ProtocolErrorWithCause(ILogger logger, string peer, string error, string cause);

        [LoggerMessage(8, LogLevel.Information, "PROTOCOL(V1): [{Peer}] exiting ioloop")]
        public static partial void ExitingIoLoop(ILogger logger, string peer);

        [LoggerMessage(9, LogLevel.Error, "client({Peer}) - {Error}")]
        public static partial void ClientError(ILogger logger, string peer, string error);

        // The Go original logs a normal close as ERROR "client(..) - EOF"; we say it at INFO (docs/protocol.md,
        // "Deliberate differences" item 8).
        [LoggerMessage(10, LogLevel.Information, "client({Peer}) - {Error}")]
        public static partial void ClientClosed(ILogger logger, string peer, string error);
    }
}
