using NsqLookup.Registry;

namespace NsqLookup.Tcp;

/// <summary>
/// Ends departed connections' registrations off the socket threads, and knows when the process is exiting.
/// <list type="bullet">
/// <item>A disconnect detaches its peer at once (O(1): gone from every answer) and queues the release of its entries
/// for one dedicated thread, which lingers a second between bursts. Its own thread, not a pool work item: a burst
/// of departures must not hold a pool thread (on a one-core host, the only one) for their whole walk while HTTP
/// requests wait behind it.</item>
/// <item>Once the TCP server begins to stop (<see cref="BeginExit"/>), a daemon about to exit does not free its
/// directory entry by entry, for memory the kernel takes back at once: a disconnect is the detach alone, queued
/// releases are dropped, and the release under way stops at its next lock hold. The registrations each peer held
/// are still reported, for the UNREGISTER log lines, when the server asked for them.</item>
/// </list>
/// </summary>
internal sealed class PeerReleaseWorker(RegistrationDB db) : IPeerRelease, IDisposable
{
    private readonly Queue<(PeerDeparture Departure, TaskCompletionSource<IReadOnlyList<Registration>> Released)> _queue = new();
    private readonly CancellationTokenSource _exit = new();
    private bool _draining;
    private volatile bool _exitListsRegistrations;

    public bool IsExiting => _exit.IsCancellationRequested;

    public Task<IReadOnlyList<Registration>> RemovePeerAsync(string peerId)
    {
        if (db.DetachPeer(peerId) is not { } departure)
        {
            return Task.FromResult<IReadOnlyList<Registration>>([]);
        }

        var released = new TaskCompletionSource<IReadOnlyList<Registration>>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_queue)
        {
            if (IsExiting)
            {
                released.TrySetResult(ListOnExit(departure, null)); // exiting: detached is enough
                return released.Task;
            }

            _queue.Enqueue((departure, released));
            start = !_draining;
            _draining = true;
            Monitor.Pulse(_queue);
        }

        if (start)
        {
            new Thread(static worker => ((PeerReleaseWorker)worker!).Drain())
            {
                IsBackground = true,
                Name = "registry release",
            }.Start(this);
        }

        return released.Task;
    }

    /// <summary>From now on disconnects are not released. With <paramref name="listRegistrations"/>, each departure
    /// still completes with the registrations its peer held (read, not removed: the caller logs them); without it,
    /// with what was removed before exit began, so exit costs nothing per entry. Departures already queued complete
    /// the same way.</summary>
    public void BeginExit(bool listRegistrations)
    {
        _exitListsRegistrations = listRegistrations;
        lock (_queue)
        {
            _exit.Cancel();
            while (_queue.TryDequeue(out var queued))
            {
                queued.Released.TrySetResult(ListOnExit(queued.Departure, null));
            }
        }
    }

    public void Dispose() => _exit.Dispose();

    /// <summary>Releases one departure on the caller's thread, stopping at the next lock hold once exit begins.</summary>
    internal IReadOnlyList<Registration> Release(PeerDeparture departure)
    {
        var removed = db.ReleasePeer(departure, _exit.Token);
        return departure.IsReleased ? removed : ListOnExit(departure, removed);
    }

    /// <summary>What a departure reports at exit: what its release removed before exit began (null: it never
    /// started, and only <c>client::</c> left, at the detach), then, when the server lists registrations, what the
    /// peer still holds, in a release's order. A release that never started reports nothing without lists.</summary>
    private IReadOnlyList<Registration> ListOnExit(PeerDeparture departure, IReadOnlyList<Registration>? removed)
    {
        if (!_exitListsRegistrations && removed is null)
        {
            return [];
        }

        var list = new List<Registration>(removed ?? (departure.InClientKey ? [Registration.Client] : []));
        if (_exitListsRegistrations)
        {
            list.AddRange(db.Held(departure));
        }

        return list;
    }

    /// <summary>The worker thread: releases departures in arrival order; lingers a second for more before it ends.</summary>
    private void Drain()
    {
        while (true)
        {
            (PeerDeparture Departure, TaskCompletionSource<IReadOnlyList<Registration>> Released) next;
            lock (_queue)
            {
                if (_queue.Count == 0 && !Monitor.Wait(_queue, TimeSpan.FromSeconds(1)) && _queue.Count == 0)
                {
                    _draining = false;
                    return;
                }

                if (!_queue.TryDequeue(out next))
                {
                    continue;
                }
            }

            try
            {
                next.Released.TrySetResult(Release(next.Departure));
            }
#pragma warning disable CA1031 // a failure must reach the awaiting connection, not kill the worker
            catch (Exception ex)
#pragma warning restore CA1031
            {
                next.Released.TrySetException(ex);
            }
        }
    }
}
