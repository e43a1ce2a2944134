using Microsoft.Extensions.Options;
using NeoWorker.Persistence;

namespace NeoWorker.Worker.Jobs;

/// <summary>
/// Looks, while this worker runs jobs, for cancel requests on them (the API marks
/// <c>cancel_requested_at</c>) and stops those jobs in their enclaves. PostgreSQL is the channel
/// rather than a broadcast message: a request can then not be lost while a worker (re)connects,
/// and a job re-claimed after its worker died still sees the request. One indexed query per
/// interval, and none while the worker is idle.
/// </summary>
public sealed partial class CancellationWatcher(
    RunningJobs running,
    IServiceScopeFactory scopes,
    WorkerIdentity worker,
    IOptions<WorkerOptions> options,
    ILogger<CancellationWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.CancelPollMs));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (running.IsEmpty)
            {
                continue;
            }

            try
            {
                await StopRequestedJobsAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away for a moment; the next tick asks again.
                LogPollFailed(logger, ex.Message);
            }
        }
    }

    private async Task StopRequestedJobsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<JobStore>();
        foreach (var jobId in await store.FindCancelRequestedAsync(worker.Id, running.Ids, cancellationToken).ConfigureAwait(false))
        {
            if (running.RequestStop(jobId))
            {
                LogStopping(logger, jobId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was canceled by a caller; stopping it in its enclave")]
    private static partial void LogStopping(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for canceled jobs: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string reason);
}
