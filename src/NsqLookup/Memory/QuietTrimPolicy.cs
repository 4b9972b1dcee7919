namespace NsqLookup.Memory;

/// <summary>
/// When to give memory back (<see cref="QuietTrimmer"/>): after at least <see cref="HeavyBytes"/> were allocated in busy
/// seconds since the last trim (a flood, a burst of churn, a big registration), once allocation has stayed under
/// <see cref="QuietBytesPerSecond"/> for <see cref="QuietFor"/>, and never twice within <see cref="MinInterval"/>. A
/// daemon under load is never quiet, so it is never trimmed; an idle one allocates nothing, so it is trimmed once at
/// most after each burst. Pure: fed samples (time, bytes allocated so far), it only decides.
/// </summary>
internal sealed class QuietTrimPolicy
{
    private TimeSpan? _lastSample;
    private long _lastAllocated;
    private long _sinceTrim;
    private TimeSpan? _quietSince;
    private TimeSpan? _lastTrim;

    /// <summary>Allocation in busy seconds since the last trim that makes one worth doing (64 MiB: well below one flood).</summary>
    public long HeavyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Allocation rate under which the daemon counts as quiet (1 MiB/s: a few /nodes polls a second).</summary>
    public long QuietBytesPerSecond { get; init; } = 1024 * 1024;

    /// <summary>How long the daemon must have been quiet (5 s).</summary>
    public TimeSpan QuietFor { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The shortest time between two trims (20 s): a compacting collection of a large directory costs a pause,
    /// and memory that connections dropped when they closed must still come back within 30 s of it (5 s quiet, at most
    /// 20 s of this wait, 1 s sampling; Http/ConnectionBufferPools.cs).</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Trim once at the first sample too: the startup allocates a few MiB (host and DI builders, Kestrel's
    /// setup) that are garbage once the listeners are up, and that memory stays resident until a collection gives
    /// it back (bench/FOOTPRINT.md measures the idle RSS it saves). Off by default: in-process hosts share one
    /// heap.</summary>
    public bool TrimAfterStart { get; init; }

    /// <summary>Takes a sample; true when a trim should run now (the caller runs it: the policy counts it done).</summary>
    /// <param name="now">Time since any fixed origin (monotonic).</param>
    /// <param name="allocatedBytes">Bytes allocated by the process so far (<see cref="GC.GetTotalAllocatedBytes"/>).</param>
    public bool Observe(TimeSpan now, long allocatedBytes)
    {
        if (_lastSample is not { } last)
        {
            _lastSample = now;
            _lastAllocated = allocatedBytes;
            if (TrimAfterStart)
            {
                _lastTrim = now;
                return true;
            }

            return false;
        }

        var delta = Math.Max(0, allocatedBytes - _lastAllocated);
        var seconds = (now - last).TotalSeconds;
        _lastSample = now;
        _lastAllocated = allocatedBytes;
        if (seconds <= 0)
        {
            return false;
        }

        if (delta / seconds >= QuietBytesPerSecond)
        {
            // Busy: only busy seconds count towards a trim, so steady light traffic (pings, polls) never adds up to one.
            _sinceTrim += delta;
            _quietSince = null;
            return false;
        }

        // Quiet since the previous sample at least.
        _quietSince ??= last;
        if (_sinceTrim < HeavyBytes || now - _quietSince.Value < QuietFor)
        {
            return false;
        }

        if (_lastTrim is { } trimmed && now - trimmed < MinInterval)
        {
            return false;
        }

        _lastTrim = now;
        _sinceTrim = 0;
        return true;
    }
}
