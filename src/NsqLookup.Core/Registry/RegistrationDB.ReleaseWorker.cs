namespace NsqLookup.Registry;

/// <summary>The release worker started by <see cref="RemovePeerAsync"/>: one background thread at a time.</summary>
internal sealed partial class RegistrationDB
{
    /// <summary>The release worker: releases departures in arrival order; lingers a second for more before it ends.</summary>
    private void DrainReleases()
    {
        while (true)
        {
            PeerDeparture departure;
            lock (_releases)
            {
                if (_releases.Count == 0 && !Monitor.Wait(_releases, TimeSpan.FromSeconds(1)) && _releases.Count == 0)
                {
                    _releasing = false;
                    return;
                }

                if (!_releases.TryDequeue(out departure!))
                {
                    continue;
                }
            }

            try
            {
                ReleasePeer(departure);
            }
#pragma warning disable CA1031 // a failure must reach the awaiting connection, not kill the worker
            catch (Exception ex)
#pragma warning restore CA1031
            {
                departure.Released.TrySetException(ex);
            }
        }
    }
}
