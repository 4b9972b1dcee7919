using System.Buffers;

namespace NsqLookup.Persistence;

/// <summary>
/// Compaction's file work: a new file is written to a temporary name, fsynced, renamed over the old one
/// (atomic on POSIX), and the directory fsynced so the rename itself is durable. The snapshot goes first; the
/// new, empty journal of the next generation second, so a crash in between leaves a journal older than the
/// snapshot, which replay recognises as already folded in.
/// </summary>
internal static class SnapshotWriter
{
    /// <summary>Writes the snapshot of <paramref name="generation"/> and returns its length.</summary>
    public static long WriteSnapshot(DataPathFiles files, ulong generation, IReadOnlyList<AdminAction> actions)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(actions);
        var buffer = new ArrayBufferWriter<byte>(FileHeader.Size + (actions.Count * 32));
        buffer.Write(FileHeader.Create(FileHeader.SnapshotMagic, generation));
        foreach (var action in actions)
        {
            AdminRecordCodec.Encode(action, buffer);
        }

        Replace(files, files.Snapshot, buffer.WrittenSpan);
        return buffer.WrittenCount;
    }

    /// <summary>Puts an empty journal of <paramref name="generation"/> in place.</summary>
    public static void WriteEmptyJournal(DataPathFiles files, ulong generation)
    {
        ArgumentNullException.ThrowIfNull(files);
        Replace(files, files.Journal, FileHeader.Create(FileHeader.JournalMagic, generation));
    }

    private static void Replace(DataPathFiles files, string path, ReadOnlySpan<byte> content)
    {
        var temporary = DataPathFiles.Temporary(path);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Fsync(files.Directory);
    }
}
