namespace NsqLookup.Persistence;

/// <summary>
/// Startup: reads the snapshot, then the journal of the same generation, into an <see cref="AdminState"/>. An invalid
/// last record with no valid record after it (what a crash mid-append leaves, or damage to the last record) is cut
/// off with a warning that says which it was (<see cref="DroppedTail"/>); any other damage throws
/// <see cref="DataPathException"/>, so the daemon stops instead of starting with part of its state. The snapshot is
/// written whole before it is renamed into place, so any damage in it is fatal, and so is a snapshot without a
/// journal: compaction puts the new journal in place over the old one, so one always exists beside a snapshot.
/// </summary>
internal static class JournalReplay
{
    public static Result Load(DataPathFiles files, Action<string, long, long, DroppedTail> tornTail)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(tornTail);
        var state = new AdminState();
        ulong generation = 0;
        long snapshotLength = 0;
        var snapshotRecords = 0;
        if (File.Exists(files.Snapshot))
        {
            var snapshot = Read(files.Snapshot);
            if (!FileHeader.TryRead(snapshot, FileHeader.SnapshotMagic, out generation))
            {
                throw Corrupt(files.Snapshot, 0, "not a snapshot (bad header)");
            }

            var (end, count) = Apply(snapshot, state);
            if (end != snapshot.Length)
            {
                throw Corrupt(files.Snapshot, end, "bad record");
            }

            snapshotLength = snapshot.Length;
            snapshotRecords = count;
        }

        if (!File.Exists(files.Journal))
        {
            // Only a directory never used has neither file. A snapshot is always written while a journal exists
            // (the first one at the first start), and compaction replaces that journal by renaming a new one over
            // it: without one, every action since the snapshot is gone.
            return snapshotLength == 0
                ? new Result(state, generation, null, 0, snapshotLength, snapshotRecords)
                : throw new DataPathException(
                    $"{files.Snapshot} (generation {generation}) has no {Path.GetFileName(files.Journal)} beside it: the admin actions "
                    + "acknowledged since that snapshot are missing; refusing to start with part of the state. Restore the "
                    + "journal, or move both files away to start empty (see docs/persistence.md)");
        }

        var journal = Read(files.Journal);
        if (!FileHeader.TryRead(journal, FileHeader.JournalMagic, out var journalGeneration))
        {
            throw Corrupt(files.Journal, 0, "not a journal (bad header)");
        }

        if (journalGeneration < generation)
        {
            // A compaction stopped between renaming the snapshot and replacing the journal: all of it is in the snapshot.
            return new Result(state, generation, null, 0, snapshotLength, snapshotRecords);
        }

        if (journalGeneration > generation)
        {
            throw new DataPathException(
                $"{files.Journal} is generation {journalGeneration} but {files.Snapshot} is generation {generation} (snapshot missing or replaced)");
        }

        var (valid, records) = Apply(journal, state);
        if (valid != journal.Length)
        {
            if (HasValidRecordAfter(journal, valid))
            {
                throw Corrupt(files.Journal, valid, "bad record followed by valid ones");
            }

            tornTail(files.Journal, valid, journal.Length - valid, Classify(journal.AsSpan((int)valid)));
        }

        return new Result(state, generation, valid, records, snapshotLength, snapshotRecords);
    }

    /// <summary>Applies records from after the header up to the first one that is not whole and valid; returns
    /// where that is and how many were applied.</summary>
    private static (long End, int Count) Apply(byte[] data, AdminState state)
    {
        var offset = FileHeader.Size;
        var count = 0;
        while (offset < data.Length
            && AdminRecordCodec.TryDecode(data.AsSpan(offset), out var action, out var size) == RecordStatus.Ok)
        {
            state.Apply(action!);
            offset += size;
            count++;
        }

        return (offset, count);
    }

    /// <summary>Whether any offset after a damaged record starts a valid one: then the damage is not a torn tail
    /// (a crash only ever cuts the last append short) and cutting there would drop acknowledged actions.</summary>
    private static bool HasValidRecordAfter(byte[] data, long damaged)
    {
        for (var offset = damaged + 1; offset + AdminRecordCodec.HeaderSize < data.Length; offset++)
        {
            if (AdminRecordCodec.TryDecode(data.AsSpan((int)offset), out _, out _) == RecordStatus.Ok)
            {
                return true;
            }
        }

        return false;
    }

    private static DroppedTail Classify(ReadOnlySpan<byte> tail)
    {
        if (!tail.ContainsAnyExcept((byte)0))
        {
            return DroppedTail.Unwritten;
        }

        return AdminRecordCodec.TryDecode(tail, out _, out _) == RecordStatus.Incomplete
            ? DroppedTail.Incomplete
            : DroppedTail.Damaged;
    }

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataPathException($"cannot read {path}: {ex.Message}", ex);
        }
    }

    private static DataPathException Corrupt(string path, long offset, string what) =>
        new($"{path} is corrupt at offset {offset}: {what}; refusing to start without it (see docs/persistence.md)");

    /// <summary>What <see cref="JournalReplay.Load"/> read: the state, the generation the journal must carry, and how
    /// much of the journal is valid (null when there is no usable journal and a new one must be written).</summary>
    public sealed record Result(
        AdminState State,
        ulong Generation,
        long? JournalLength,
        int JournalRecords,
        long SnapshotLength,
        int SnapshotRecords);
}
