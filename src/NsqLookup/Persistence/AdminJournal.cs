using System.Buffers;
using NsqLookup.Registry;

namespace NsqLookup.Persistence;

/// <summary>
/// <c>--data-path</c>: the HTTP admin actions, kept in an append-only journal with a CRC-32C per record and an
/// fsync before any of them is acknowledged, compacted into a snapshot when the journal outgrows it
/// (docs/persistence.md). Actions are queued in registry order under one lock; one writer thread appends
/// everything queued while its previous fsync ran and then fsyncs once (group commit), so concurrent admin
/// requests share fsyncs while each still waits for its own record to be durable.
/// </summary>
internal sealed partial class AdminJournal : IAdminJournal, IDisposable
{
    private readonly DataPathFiles _files;
    private readonly RegistrationDB _db;
    private readonly TimeProvider _time;
    private readonly ILogger<AdminJournal> _logger;
    private readonly Lock _order = new();
    private readonly SemaphoreSlim _signal = new(0);
    private ArrayBufferWriter<byte> _pending = new(4096);
    private ArrayBufferWriter<byte> _writing = new(4096);
    private TaskCompletionSource? _pendingCommit;
    private AdminState _state = new();
    private DataPathLock? _lock;
    private FileStream? _journal;
    private Thread? _writer;
    private ulong _generation;
    private long _journalLength;
    private long _snapshotLength;
    private bool _stopping;
    private Exception? _failure;

    public AdminJournal(string directory, RegistrationDB db, TimeProvider time, ILogger<AdminJournal> logger)
    {
        _files = new DataPathFiles(directory);
        _db = db;
        _time = time;
        _logger = logger;
    }

    /// <summary>The journal is compacted once its records exceed the larger of this and
    /// <see cref="CompactionFactor"/> times the snapshot, so compaction work stays proportional to what was appended.</summary>
    public long CompactAfterBytes { get; init; } = 1024 * 1024;

    public int CompactionFactor { get; init; } = 4;

    /// <summary>Locks the directory, replays snapshot and journal into the registry and starts the writer. Throws
    /// <see cref="DataPathException"/> when the directory cannot be used; call before the listeners open.</summary>
    public void Open()
    {
        if (!Directory.Exists(_files.Directory))
        {
            throw new DataPathException($"--data-path={_files.Directory}: no such directory");
        }

        var start = _time.GetTimestamp();
        _lock = DataPathLock.Acquire(_files.Directory);
        try
        {
            var replay = JournalReplay.Load(_files, TruncateTornTail);
            _state = replay.State;
            _generation = replay.Generation;
            _snapshotLength = replay.SnapshotLength;
            if (replay.JournalLength is { } length)
            {
                _journalLength = length;
            }
            else
            {
                SnapshotWriter.WriteEmptyJournal(_files, _generation);
                _journalLength = FileHeader.Size;
            }

            var tombstones = Restore();
            _journal = OpenJournal();
            Log.Restored(_logger, _files.Directory, _state.Topics.Count, _state.Channels.Count(), tombstones,
                replay.SnapshotRecords, replay.JournalRecords, GoDuration.Format(_time.GetElapsedTime(start)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Dispose();
            throw new DataPathException($"--data-path={_files.Directory}: {ex.Message}", ex);
        }
        catch
        {
            Dispose();
            throw;
        }

        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "nsqlookupd data-path writer" };
        _writer.Start();
    }

    public ValueTask ApplyAsync(Func<IReadOnlyList<AdminAction>> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        lock (_order)
        {
            // Refused before the registry changes: nothing is applied that could not be kept.
            if (_failure is { } failure)
            {
                throw new IOException($"--data-path unusable since an earlier write failed: {failure.Message}", failure);
            }

            ObjectDisposedException.ThrowIf(_stopping || _writer is null, this);
            var actions = apply();
            if (actions.Count == 0)
            {
                return ValueTask.CompletedTask;
            }

            foreach (var action in actions)
            {
                _state.Apply(action);
                if (AdminRecordCodec.CanEncode(action))
                {
                    AdminRecordCodec.Encode(action, _pending);
                }
                else
                {
                    Log.TooLong(_logger, action.Kind.ToString());
                }
            }

            if (_pendingCommit is null)
            {
                _pendingCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _signal.Release();
            }

            return new ValueTask(_pendingCommit.Task);
        }
    }

    public void Dispose()
    {
        lock (_order)
        {
            _stopping = true;
        }

        if (_writer is { } writer)
        {
            _signal.Release();
            writer.Join(TimeSpan.FromSeconds(10));
        }

        _journal?.Dispose();
        _lock?.Dispose();
    }

    private bool NeedsCompaction =>
        _journalLength - FileHeader.Size > Math.Max(CompactAfterBytes, CompactionFactor * _snapshotLength);

    private void WriteLoop()
    {
        // A journal that outgrew its snapshot while the daemon was down is compacted here, once the listeners may
        // already be open, rather than in Open: the start does not wait for it (a third of the start with a
        // 100,000-record journal). Admin actions arriving meanwhile wait on the order lock.
        lock (_order)
        {
            if (NeedsCompaction && _failure is null && !_stopping)
            {
                Compact();
            }
        }

        while (true)
        {
            _signal.Wait();
            bool stopping;
            TaskCompletionSource? commit;
            lock (_order)
            {
                stopping = _stopping;
                commit = TakeBatch();
            }

            // The fsync runs outside the order lock: actions arriving meanwhile form the next batch.
            if (commit is not null)
            {
                Commit(commit);
            }

            if (stopping)
            {
                return;
            }

            if (NeedsCompaction && _failure is null)
            {
                lock (_order)
                {
                    if (TakeBatch() is { } late)
                    {
                        Commit(late);
                    }

                    Compact();
                }
            }
        }
    }

    /// <summary>Under the order lock: hands the queued records to the writer.</summary>
    private TaskCompletionSource? TakeBatch()
    {
        var commit = _pendingCommit;
        _pendingCommit = null;
        (_pending, _writing) = (_writing, _pending);
        return commit;
    }

    private void Commit(TaskCompletionSource commit)
    {
        var batch = _writing;
        try
        {
            _journal!.Write(batch.WrittenSpan);
            _journal.Flush(flushToDisk: true);
            _journalLength += batch.WrittenCount;
            commit.TrySetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            Log.WriteFailed(_logger, _files.Journal, ex.Message);
            RollBack(ex);
            commit.TrySetException(new IOException($"{_files.Journal}: {ex.Message}", ex));
        }
        finally
        {
            batch.ResetWrittenCount();
        }
    }

    /// <summary>A failed append may have left part of the batch: cut it off so later appends follow whole
    /// records, or stop accepting admin actions if even that fails.</summary>
    private void RollBack(Exception cause)
    {
        try
        {
            _journal!.SetLength(_journalLength);
            _journal.Position = _journalLength;
            _journal.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _failure = cause;
            Log.Unusable(_logger, _files.Directory, ex.Message);
        }
    }

    /// <summary>Under the order lock, with nothing queued: the state as a snapshot of the next generation, then
    /// an empty journal of that generation.</summary>
    private void Compact()
    {
        var actions = _state.ToActions(_time.GetUtcNow().ToUnixTimeMilliseconds(), _db.TombstoneLifetime);
        try
        {
            _snapshotLength = SnapshotWriter.WriteSnapshot(_files, _generation + 1, actions);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The old snapshot and journal still hold everything: keep appending to them, retry after the next commit.
            Log.CompactionFailed(_logger, _files.Snapshot, ex.Message);
            return;
        }

        _generation++;
        try
        {
            _journal?.Dispose();
            SnapshotWriter.WriteEmptyJournal(_files, _generation);
            // The length first: OpenJournal positions the new file at it, and the old length would leave a hole
            // of zeros after the header that replay rightly calls corruption.
            _journalLength = FileHeader.Size;
            _journal = OpenJournal();
            Log.Compacted(_logger, actions.Count, _files.Snapshot, _generation);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Appending to the old journal now would be lost (the snapshot supersedes it): stop accepting actions.
            _failure = ex;
            Log.Unusable(_logger, _files.Directory, ex.Message);
        }
    }

    private FileStream OpenJournal()
    {
        var stream = new FileStream(_files.Journal, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        stream.Position = _journalLength;
        return stream;
    }

    private void TruncateTornTail(string path, long offset, long bytes)
    {
        Log.TornTail(_logger, path, offset, bytes);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        stream.SetLength(offset);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Puts the kept keys back, as <c>/topic/create</c> and <c>/channel/create</c> made them (no producers),
    /// and hands the tombstones to the registry for the rest of their lifetime. Returns the tombstones restored.</summary>
    private int Restore()
    {
        _db.AddRegistrations(_state.Topics.Select(Registration.Topic)
            .Concat(_state.Channels.Select(c => Registration.Channel(c.Topic, c.Channel))));

        var restored = 0;
        foreach (var (topic, node, at) in _state.Tombstones)
        {
            if (_db.RestoreTombstone(topic, node, DateTimeOffset.FromUnixTimeMilliseconds(at)))
            {
                restored++;
            }
        }

        _state.DropLapsed(_time.GetUtcNow().ToUnixTimeMilliseconds(), _db.TombstoneLifetime);
        return restored;
    }
}
