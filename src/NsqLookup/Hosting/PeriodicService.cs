namespace NsqLookup.Hosting;

/// <summary>
/// A hosted service that does one step per period of a <see cref="PeriodicTimer"/> on the given clock. The timer is
/// created in <see cref="StartAsync"/>, not in <c>ExecuteAsync</c>, which .NET 10 runs later on the thread pool: the
/// first step is due one period after the start whenever the loop gets to wait for it, and a fake clock advanced
/// right after the start finds the timer already there.
/// </summary>
internal abstract class PeriodicService(TimeProvider time) : BackgroundService
{
    private PeriodicTimer? _timer;

    /// <summary>The period, read once at the start; <c>null</c> when the service is switched off.</summary>
    protected abstract TimeSpan? Period { get; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Period is { } period)
        {
            _timer = new PeriodicTimer(period, time);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    /// <summary>One step, once per period.</summary>
    protected abstract Task TickAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        // The stop disposes the timer, which ends a pending wait with false, instead of cancelling the wait: a cancelled
        // PeriodicTimer wait fails with an exception whose stack trace string it builds at once
        // (ExceptionDispatchInfo.SetCurrentStackTrace), and in the native binary the first such string slows the
        // exit noticeably (the method-name map is sorted on first use; bench/FOOTPRINT.md).
        using var stop = stoppingToken.UnsafeRegister(static state => ((PeriodicTimer)state!).Dispose(), timer);
        try
        {
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
