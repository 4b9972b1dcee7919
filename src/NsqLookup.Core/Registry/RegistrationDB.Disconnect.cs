namespace NsqLookup.Registry;

/// <summary>A connection's end in two steps: <see cref="DetachPeer"/> (O(1), on the caller's thread) and
/// <see cref="ReleasePeer"/> (its entries, on the release worker of <c>RegistrationDB.ReleaseWorker.cs</c>).</summary>
internal sealed partial class RegistrationDB
{
    /// <summary>
    /// Disconnect cleanup for a live connection: detaches the peer at once (O(1), see <see cref="DetachPeer"/>), so
    /// it is gone from every answer before this returns, then releases its entries on the registry's one release
    /// worker, off the caller's thread: a hundred nsqd leaving together cost the socket thread microseconds each,
    /// not a walk of their registrations. The task gives the registrations the peer was removed from.
    /// </summary>
    public Task<IReadOnlyList<Registration>> RemovePeerAsync(string peerId)
    {
        if (DetachPeer(peerId) is not { } departure)
        {
            return Task.FromResult<IReadOnlyList<Registration>>([]);
        }

        bool start;
        lock (_releases)
        {
            if (_exiting)
            {
                CompleteOnExit(departure); // exiting: detached is enough
                return departure.Released.Task;
            }

            _releases.Enqueue(departure);
            start = !_releasing;
            _releasing = true;
            Monitor.Pulse(_releases);
        }

        if (start)
        {
            // Its own thread, not a pool work item: a burst of departures must not hold a pool thread (on a
            // one-core host, the only one) for their whole walk while HTTP requests wait behind it.
            new Thread(static db => ((RegistrationDB)db!).DrainReleases())
            {
                IsBackground = true,
                Name = "registry release",
            }.Start(this);
        }

        return departure.Released.Task;
    }

    /// <summary>
    /// The O(1) half of a disconnect: the peer id is free again, the peer leaves <c>client::</c> and the counts, and
    /// every query skips its remaining entries, so every answer is already what it will be once they are gone. Its
    /// entries stay (holding its slot) until <see cref="ReleasePeer"/>. Null when the peer has no entry.
    /// </summary>
    public PeerDeparture? DetachPeer(string peerId)
    {
        lock (_lock)
        {
            if (!_peers.Remove(peerId, out var state))
            {
                return null;
            }

            var client = state.InClientKey && _clientKey is { } key && RemoveEntry(key, state);
            Detach(state);
            return new PeerDeparture(state, client);
        }
    }

    /// <summary>Removes a detached peer's entries (keys stay); returns every registration it was removed from,
    /// <c>client::</c> included. Costs this peer's registrations, taken a few topics per lock hold so a large peer
    /// leaving does not stall everyone else's REGISTER. Once <see cref="BeginExit"/> is called it stops at the next
    /// hold: the rest stays, and is only listed (when exit lists registrations), in the same order.</summary>
    public IReadOnlyList<Registration> ReleasePeer(PeerDeparture departure)
    {
        ArgumentNullException.ThrowIfNull(departure);
        const int topicsPerHold = 32;
        var state = departure.State;
        var removed = new List<Registration>();
        if (departure.InClientKey)
        {
            removed.Add(Registration.Client);
        }

        TopicNode[] topics;
        lock (_lock)
        {
            removed.Capacity = removed.Count + state.Entries;
            topics = [.. state.Topics.Keys];
        }

        // A detached peer gains nothing, so only an HTTP delete races this, and it unlinks what it removes: what
        // state.Topics still names is still this peer's (its slot stays reserved until its last entry goes).
        for (var start = 0; start < topics.Length; start += topicsPerHold)
        {
            if (_exiting)
            {
                // The process is going away: the kernel takes the rest back at once (a peer of 30,000 entries cost
                // the exit ~10 ms here; bench/FOOTPRINT.md).
                if (_exitListsRegistrations)
                {
                    removed.AddRange(RegistrationsOf(departure, includeClient: false));
                }

                break;
            }

            lock (_lock)
            {
                foreach (var topic in topics.AsSpan(start, Math.Min(topicsPerHold, topics.Length - start)))
                {
                    if (!state.Topics.TryGetValue(topic, out var mine))
                    {
                        continue;
                    }

                    foreach (var key in mine.Channels.ToArray())
                    {
                        RemoveEntry(key, state);
                        removed.Add(key.Registration);
                    }

                    if (mine.InTopicKey && topic.TopicKey is { } topicKey)
                    {
                        RemoveEntry(topicKey, state);
                        removed.Add(topicKey.Registration);
                    }
                }
            }
        }

        departure.Released.TrySetResult(removed);
        return removed;
    }
}
