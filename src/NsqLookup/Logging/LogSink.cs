namespace NsqLookup.Logging;

/// <summary>
/// Where every log line goes after startup: a bounded queue and one writer thread, so that no socket, request or
/// timer thread ever waits on the log output. A stderr that nobody reads (a hung log collector, a container runtime
/// stuck on a full disk) fills the queue; lines beyond it are dropped and counted (<see cref="Dropped"/>, the
/// <c>nsqlookupd_log_lines_dropped_total</c> metric), and once the output takes lines again one line says how many
/// were lost, in the daemon's own format. The Go original writes synchronously and freezes whole (see
/// docs/protocol.md, "Deliberate differences"). The BCL console logger queues the same way but neither counts its
/// drops nor words its notice in our format.
/// <para>A full queue is not yet a blocked output: a burst (the exit listing every registration, a storm of
/// REGISTERs) can outrun a healthy output for a moment. So a line that finds the queue full waits, up to
/// <see cref="StallThreshold"/>, for the writer to take the queue, as a synchronous write would have waited; only when
/// no room comes in that time is the output taken as stuck, and from then on lines that find the queue full are
/// dropped at once, until the writer finishes its write.</para>
/// </summary>
internal sealed class LogSink : IDisposable
{
    /// <summary>Lines held while the output is slow or blocked: a few hundred KB at most.</summary>
    public const int DefaultCapacity = 2048;

    /// <summary>How long a line waits for room in a full queue before the output counts as stuck: short enough that a
    /// blocked output costs a REGISTER or a request one small delay, once.</summary>
    public static readonly TimeSpan StallThreshold = TimeSpan.FromMilliseconds(100);

    private readonly object _gate = new();
    private readonly Queue<string> _queue = new();
    private readonly TextWriter _output;
    private readonly Func<long, string> _dropNotice;
    private readonly int _capacity;
    private readonly Thread _writer;
    private long _pendingDrops;
    private long _dropped;
    private long _queued;
    private long _written;
    private bool _writerWaiting;
    private int _linesWaiting;
    private bool _stuck;
    private bool _completed;

    /// <param name="output">The log output; only the writer thread touches it.</param>
    /// <param name="dropNotice">Formats the whole line (newline included) that reports a number of dropped lines.</param>
    /// <param name="capacity">Lines the queue holds before it drops.</param>
    public LogSink(TextWriter output, Func<long, string> dropNotice, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dropNotice);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _output = output;
        _dropNotice = dropNotice;
        _capacity = capacity;
        _writer = new Thread(Run) { IsBackground = true, Name = "nsqlookupd log writer" };
        _writer.Start();
    }

    /// <summary>Lines dropped so far because the queue was full (or the sink already closed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues one whole line (newline included). Never waits on a stuck output; a full queue in front of a
    /// moving one waits at most <see cref="StallThreshold"/>.</summary>
    public void Write(string line)
    {
        lock (_gate)
        {
            if (!_completed && !_stuck && _queue.Count >= _capacity)
            {
                WaitForRoom();
            }

            if (_completed || _queue.Count >= _capacity)
            {
                _pendingDrops++;
                Interlocked.Increment(ref _dropped);
                return;
            }

            // The first line that fits after a gap: the notice goes where the gap is.
            QueueDropNotice();
            Enqueue(line);
        }
    }

    /// <summary>Waits until every line queued so far (and a pending drop notice) is written, or
    /// <paramref name="timeout"/> passes, so that a blocked output cannot hold the caller (the exit) for ever.
    /// True when everything was written.</summary>
    public bool Flush(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            QueueDropNotice();
            var target = _queued;
            while (_written < target)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left)))
                {
                    return _written >= target;
                }
            }

            return true;
        }
    }

    /// <summary>Stops taking lines; the writer thread ends once the queue is written (call <see cref="Flush"/> first to
    /// wait for that).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    // Under _gate: the queue is full and the output not known to be stuck.
    private void WaitForRoom()
    {
        var deadline = Environment.TickCount64 + (long)StallThreshold.TotalMilliseconds;
        _linesWaiting++;
        try
        {
            while (!_completed && _queue.Count >= _capacity)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    _stuck = true; // cleared when the writer's write returns
                    return;
                }

                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left));
            }
        }
        finally
        {
            _linesWaiting--;
        }
    }

    // Under _gate.
    private void QueueDropNotice()
    {
        if (_pendingDrops > 0)
        {
            var dropped = _pendingDrops;
            _pendingDrops = 0;
            Enqueue(_dropNotice(dropped));
        }
    }

    // Under _gate.
    private void Enqueue(string line)
    {
        _queue.Enqueue(line);
        _queued++;
        if (_writerWaiting)
        {
            // PulseAll: a Flush may be waiting on the same monitor.
            Monitor.PulseAll(_gate);
        }
    }

    private void Run()
    {
        var batch = new List<string>();
        while (true)
        {
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    // The output took everything: if lines were dropped meanwhile, say so now rather than with the
                    // next line, which may come much later.
                    QueueDropNotice();
                    if (_queue.Count > 0)
                    {
                        break;
                    }

                    if (_completed)
                    {
                        return;
                    }

                    _writerWaiting = true;
                    Monitor.Wait(_gate);
                    _writerWaiting = false;
                }

                while (_queue.TryDequeue(out var line))
                {
                    batch.Add(line);
                }

                if (_linesWaiting > 0)
                {
                    Monitor.PulseAll(_gate); // the queue has room again
                }
            }

            WriteBatch(batch);
            lock (_gate)
            {
                _written += batch.Count;
                _stuck = false; // the output took a whole batch: it moves again
                Monitor.PulseAll(_gate);
            }

            batch.Clear();
        }
    }

    private void WriteBatch(List<string> batch)
    {
        try
        {
            foreach (var line in batch)
            {
                _output.Write(line);
            }

            _output.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A closed or failing output (EPIPE): the lines are lost, as a synchronous write's would be, and the
            // daemon goes on.
        }
    }
}
