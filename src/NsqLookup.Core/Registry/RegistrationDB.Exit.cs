namespace NsqLookup.Registry;

/// <summary>
/// Process exit: a daemon that is about to exit does not free its directory entry by entry (2.7 million entries
/// took 0.7 s to release, for memory the kernel takes back at once). After <see cref="BeginExit"/> a disconnect only
/// detaches its peer (O(1), so answers to HTTP requests still draining stay right), and the release worker stops
/// after the departure it is on. The registrations a departing peer held are still reported, for the log lines,
/// when the caller asked for them.
/// </summary>
internal sealed partial class RegistrationDB
{
    /// <summary>Peers detached whose entries are not released yet (what exit leaves behind).</summary>
    internal int DetachedPeers
    {
        get
        {
            lock (_lock)
            {
                return _detached;
            }
        }
    }

    /// <summary>Whether <see cref="BeginExit"/> was called.</summary>
    public bool IsExiting => _exiting;

    /// <summary>From now on disconnects are not released. With <paramref name="listRegistrations"/>, each departure
    /// still completes with the registrations its peer held (read, not removed: the caller logs them); without it,
    /// with none, so exit costs nothing per entry. Departures already queued for the worker complete the same way.</summary>
    public void BeginExit(bool listRegistrations)
    {
        _exitListsRegistrations = listRegistrations;
        _exiting = true;
        lock (_releases)
        {
            while (_releases.TryDequeue(out var departure))
            {
                CompleteOnExit(departure);
            }
        }
    }

    private void CompleteOnExit(PeerDeparture departure) => departure.Released.TrySetResult(ListOnExit(departure));

    private IReadOnlyList<Registration> ListOnExit(PeerDeparture departure) =>
        _exitListsRegistrations ? RegistrationsOf(departure) : [];

    /// <summary>What <see cref="ReleasePeer"/> would return (for what the peer still holds), in the same order,
    /// without removing anything.</summary>
    private List<Registration> RegistrationsOf(PeerDeparture departure, bool includeClient = true)
    {
        var state = departure.State;
        lock (_lock)
        {
            var list = new List<Registration>(state.Entries + 1);
            if (includeClient && departure.InClientKey)
            {
                list.Add(Registration.Client);
            }

            foreach (var (topic, mine) in state.Topics)
            {
                foreach (var key in mine.Channels)
                {
                    list.Add(key.Registration);
                }

                if (mine.InTopicKey && topic.TopicKey is { } topicKey)
                {
                    list.Add(topicKey.Registration);
                }
            }

            return list;
        }
    }
}
