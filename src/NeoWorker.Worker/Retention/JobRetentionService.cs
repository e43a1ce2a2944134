using Microsoft.Extensions.Options;

namespace NeoWorker.Worker.Retention;

/// <summary>Runs a retention pass when the worker starts and every <c>Retention:IntervalMinutes</c> after.</summary>
internal sealed class JobRetentionService(
    JobRetention retention,
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<JobRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            RetentionLog.Disabled(logger);
            return;
        }

        RetentionLog.Scheduled(logger, settings.KeepDays, settings.IntervalMinutes, settings.BatchSize);
        // Never hold up the host's start: the first pass runs in the background like the rest.
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(settings.IntervalMinutes), timeProvider);
        try
        {
            do
            {
                await RunPassAsync(settings, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task RunPassAsync(RetentionOptions settings, CancellationToken stoppingToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var pass = await retention.RunPassAsync(stoppingToken).ConfigureAwait(false);
            var elapsedMs = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
            if (pass.Deleted > 0)
            {
                RetentionLog.PassDeleted(logger, pass.Deleted, pass.Cutoff, pass.Batches, settings.BatchSize, elapsedMs);
            }
            else
            {
                RetentionLog.PassFoundNothing(logger, pass.Cutoff, elapsedMs);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A failed pass (database down, …) must not stop the worker; the next one starts over.
            RetentionLog.PassFailed(logger, ex, settings.IntervalMinutes);
        }
    }
}
