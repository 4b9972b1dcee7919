namespace NsqLookup.Persistence;

internal sealed partial class AdminJournal
{
    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information,
            "DATA: {Directory}: restored {Topics} topics, {Channels} channels, {Tombstones} tombstones ({SnapshotRecords} snapshot and {JournalRecords} journal records) in {Elapsed}")]
        public static partial void Restored(ILogger logger, string directory, int topics, int channels, int tombstones,
            int snapshotRecords, int journalRecords, string elapsed);

        [LoggerMessage(LogLevel.Warning,
            "DATA: {Path}: dropped an incomplete last record at offset {Offset} ({Bytes} bytes, an append cut short by a crash; never acknowledged), truncated there")]
        public static partial void IncompleteTail(ILogger logger, string path, long offset, long bytes);

        [LoggerMessage(LogLevel.Warning,
            "DATA: {Path}: dropped {Bytes} bytes of zeros at offset {Offset} (an append whose data never reached the disk; never acknowledged), truncated there")]
        public static partial void UnwrittenTail(ILogger logger, string path, long offset, long bytes);

        [LoggerMessage(LogLevel.Warning,
            "DATA: {Path}: dropped a damaged last record at offset {Offset} ({Bytes} bytes, complete but failing its checksum; it may have been acknowledged, and its action is lost), truncated there")]
        public static partial void DamagedTail(ILogger logger, string path, long offset, long bytes);

        [LoggerMessage(LogLevel.Information, "DATA: compacted {Records} records into {Path} (generation {Generation})")]
        public static partial void Compacted(ILogger logger, int records, string path, ulong generation);

        [LoggerMessage(LogLevel.Error, "DATA: writing {Path} failed - {Error}")]
        public static partial void WriteFailed(ILogger logger, string path, string error);

        [LoggerMessage(LogLevel.Error, "DATA: compaction into {Path} failed, keeping the journal - {Error}")]
        public static partial void CompactionFailed(ILogger logger, string path, string error);

        [LoggerMessage(LogLevel.Error, "DATA: {Directory} unusable, admin actions are refused until restart - {Error}")]
        public static partial void Unusable(ILogger logger, string directory, string error);

        [LoggerMessage(LogLevel.Error, "DATA: applying a durable admin action failed - {Error}")]
        public static partial void ApplyFailed(ILogger logger, string error);

        [LoggerMessage(LogLevel.Warning, "DATA: a {Kind} action has a name over 65535 bytes and is not kept")]
        public static partial void TooLong(ILogger logger, string kind);
    }
}
