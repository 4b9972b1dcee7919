using System.Buffers;
using NsqLookup.Registry;

namespace NsqLookup.Persistence;

/// <summary>
/// <c>--data-path</c>: the HTTP admin actions, kept in an append-only journal with a CRC-32C per record and an
/// fsync before any of them is acknowledged, compacted into a snapshot when the journal outgrows it
/// (docs/persistence.md). Journal first: an action's records are queued under one lock, one writer thread appends
/// everything queued while its previous fsync ran and fsyncs once (group commit), and only then applies the
/// batch's registry changes, in journal order, and completes its requests. So concurrent admin requests share
/// fsyncs, nobody sees a change before it is durable, and a failed write changes nothing. Before each write the
/// directory and the journal are checked to still be the ones opened (<see cref="CheckIdentity"/>).
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
    private List<Planned> _pendingApplies = [];
    private List<Planned> _writingApplies = [];
    private TaskCompletionSource<bool>? _pendingCommit;
    private bool _inFlight;
    private FileIdentity? _directoryIdentity;
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

    /// <summary>How a batch is made durable: <c>fsync</c>. Tests replace it to hold a batch between its write and
    /// its fsync, or to fail it.</summary>
    internal Action<FileStream> Fsync { get; init; } = static stream => stream.Flush(flushToDisk: true);

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
        _directoryIdentity = FileIdentity.IsSupported ? FileIdentity.OfPath(_files.Directory) : null;
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

    public ValueTask<bool> CommitAsync(Func<IReadOnlyList<AdminAction>> plan, Action apply)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(apply);
        lock (_order)
        {
            ThrowIfUnusable();
            var actions = plan();
            if (actions.Count == 0)
            {
                return ValueTask.FromResult(false);
            }

            // Refused before anything is queued or applied: nothing is acknowledged that could not be kept.
            foreach (var action in actions)
            {
                if (AdminRecordCodec.Refusal(action) is { } refusal)
                {
                    throw new AdminActionRefusedException(refusal);
                }
            }

            return Queue(actions, apply);
        }
    }

    public ValueTask<bool> ApplyAsync(Func<IReadOnlyList<AdminAction>> applyAndName)
    {
        ArgumentNullException.ThrowIfNull(applyAndName);
        lock (_order)
        {
            ThrowIfUnusable();

            // A change applied now must not overtake one whose record is queued or being written and whose registry
            // change comes after its fsync: the journal would hold them in the other order.
            if (_pendingCommit is not null || _inFlight)
            {
                return ValueTask.FromResult(false);
            }

            var actions = applyAndName().Where(action =>
            {
                if (AdminRecordCodec.CanEncode(action))
                {
                    return true;
                }

                Log.TooLong(_logger, action.Kind.ToString());
                return false;
            }).ToList();
            return actions.Count == 0 ? ValueTask.FromResult(true) : Queue(actions, static () => { });
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
            TaskCompletionSource<bool>? commit;
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
    private TaskCompletionSource<bool>? TakeBatch()
    {
        var commit = _pendingCommit;
        _pendingCommit = null;
        (_pending, _writing) = (_writing, _pending);
        (_pendingApplies, _writingApplies) = (_writingApplies, _pendingApplies);
        _inFlight = commit is not null;
        return commit;
    }

    private void Commit(TaskCompletionSource<bool> commit)
    {
        var batch = _writing;
        try
        {
            CheckIdentity();
            _journal!.Write(batch.WrittenSpan);
            Fsync(_journal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            Log.WriteFailed(_logger, _files.Journal, ex.Message);
            if (ex is DataPathGoneException)
            {
                MarkUnusable(ex, ex.Message);
            }
            else
            {
                RollBack(ex);
            }

            lock (_order)
            {
                _inFlight = false;
            }

            _writingApplies.Clear();
            batch.ResetWrittenCount();
            commit.TrySetException(new IOException($"{_files.Journal}: {ex.Message}", ex));
            return;
        }

        // Durable: now the batch becomes visible, in journal order, and its requests may be answered.
        lock (_order)
        {
            _journalLength += batch.WrittenCount;
            foreach (var planned in _writingApplies)
            {
                foreach (var action in planned.Actions)
                {
                    _state.Apply(action);
                }

                try
                {
                    planned.Apply();
                }
#pragma warning disable CA1031 // a registry change that throws is a bug: it must not stop the writer, which serves every later action
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.ApplyFailed(_logger, ex.ToString());
                }
            }

            _inFlight = false;
        }

        _writingApplies.Clear();
        batch.ResetWrittenCount();
        commit.TrySetResult(true);
    }

    /// <summary>
    /// The directory and the journal must still be the ones opened: a <c>--data-path</c> deleted or replaced while
    /// the daemon runs would otherwise take appends into an unlinked file, all lost at the next start. Three
    /// <c>statx</c> calls per batch, next to its fsync.
    /// </summary>
    private void CheckIdentity()
    {
        if (_directoryIdentity is not { } opened)
        {
            return;
        }

        var directory = FileIdentity.OfPath(_files.Directory);
        if (directory != opened)
        {
            throw new DataPathGoneException(directory is null
                ? $"{_files.Directory} was deleted while running"
                : $"{_files.Directory} was replaced while running (now {directory}, opened {opened})");
        }

        var (journal, links) = FileIdentity.Of(_journal!.SafeFileHandle);
        var byPath = FileIdentity.OfPath(_files.Journal);
        if (links == 0 || byPath != journal)
        {
            throw new DataPathGoneException(byPath is null || links == 0
                ? $"{_files.Journal} was deleted while running"
                : $"{_files.Journal} was replaced while running (now {byPath}, opened {journal})");
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
            // The failed batch may be on disk past the last acknowledged record: say where to cut it.
            MarkUnusable(cause, $"{ex.Message}; the journal may hold the refused batch after offset {_journalLength}: "
                + $"before the next start, run truncate -s {_journalLength} {_files.Journal}");
        }
    }

    private void MarkUnusable(Exception cause, string error)
    {
        lock (_order)
        {
            _failure = cause;
        }

        Log.Unusable(_logger, _files.Directory, error);
    }

    /// <summary>Under the order lock: queues the records and what to apply once they are durable.</summary>
    private ValueTask<bool> Queue(IReadOnlyList<AdminAction> actions, Action apply)
    {
        foreach (var action in actions)
        {
            AdminRecordCodec.Encode(action, _pending);
        }

        _pendingApplies.Add(new Planned(actions, apply));
        if (_pendingCommit is null)
        {
            _pendingCommit = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _signal.Release();
        }

        return new ValueTask<bool>(_pendingCommit.Task);
    }

    /// <summary>Under the order lock: refuses every action once the data path is unusable or the journal closed.</summary>
    private void ThrowIfUnusable()
    {
        if (_failure is { } failure)
        {
            throw new IOException($"--data-path unusable since an earlier failure: {failure.Message}", failure);
        }

        ObjectDisposedException.ThrowIf(_stopping || _writer is null, this);
    }

    /// <summary>Under the order lock, with nothing queued: the state as a snapshot of the next generation, then
    /// an empty journal of that generation.</summary>
    private void Compact()
    {
        try
        {
            CheckIdentity();
        }
        catch (IOException ex)
        {
            MarkUnusable(ex, ex.Message);
            return;
        }

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
            MarkUnusable(ex, ex.Message);
        }
    }

    private FileStream OpenJournal()
    {
        var stream = new FileStream(_files.Journal, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        stream.Position = _journalLength;
        return stream;
    }

    private void TruncateTornTail(string path, long offset, long bytes, DroppedTail kind)
    {
        switch (kind)
        {
            case DroppedTail.Incomplete:
                Log.IncompleteTail(_logger, path, offset, bytes);
                break;
            case DroppedTail.Unwritten:
                Log.UnwrittenTail(_logger, path, offset, bytes);
                break;
            default:
                Log.DamagedTail(_logger, path, offset, bytes);
                break;
        }

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

    /// <summary>An action's records and its registry change, which runs once they are durable.</summary>
    private sealed record Planned(IReadOnlyList<AdminAction> Actions, Action Apply);

    /// <summary>The <c>--data-path</c> directory or its journal is no longer the one the daemon opened (deleted or
    /// replaced while running): the batch is refused and so is every later admin action, until a restart.</summary>
    private sealed class DataPathGoneException : IOException
    {
        public DataPathGoneException(string message)
            : base(message)
        {
        }

        public DataPathGoneException(string message, Exception inner)
            : base(message, inner)
        {
        }

        public DataPathGoneException()
        {
        }
    }
}
