using MassTransit;
using Microsoft.Extensions.Options;
using NeoWorker.Contracts;
using NeoWorker.Persistence;
using NeoWorker.Worker.Jobs;

namespace NeoWorker.Worker.Leases;

/// <summary>
/// Leases. Every <c>Worker:LeaseSweepSeconds</c> this first renews the leases of the jobs this worker holds (so a live
/// worker keeps its jobs however slow it is), then looks for stuck work: a job left Running by a worker that died keeps its claim only until the lease passes. Every
/// <c>Worker:LeaseSweepSeconds</c> this hands such jobs back to the queue (Queued, their command published again)
/// so they run once more; a job that keeps failing that way ends Faulted through its command's bounded retries.
/// Commands that arrive for a job while its claim is live are dropped by the job runner, which is why this exists:
/// waiting for the lease in a consumer would take that consumer away from every other job meanwhile.
/// </summary>
internal sealed partial class LeaseSweeper(
    IServiceScopeFactory scopes,
    IBus bus,
    JobClaims claims,
    WorkerIdentity worker,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<LeaseSweeper> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.LeaseSweepSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RenewAsync(stoppingToken).ConfigureAwait(false);
                while (await SweepAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                    // a full batch: there may be more
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database or the broker is away; the next tick tries again.
                LogSweepFailed(logger, ex.GetType().Name, ex.Message);
            }
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var held = claims.Held;
        if (held.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<JobStore>();
        var interval = TimeSpan.FromSeconds((2 * options.Value.LeaseSweepSeconds) + options.Value.LeaseGraceSeconds);
        await store.RenewHeldAsync(worker.Id, held, DatabaseClock.UtcNow(clock) + interval, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeoWorkerDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<JobStore>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var expired = await store.RequeueExpiredAsync(DatabaseClock.UtcNow(clock), BatchSize, cancellationToken).ConfigureAwait(false);
        if (expired.Count == 0)
        {
            return 0;
        }

        using (var publishTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            publishTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            await Task.WhenAll(expired.Select(job => bus.Publish(
                new ExecuteJavaScript(job.Id, job.Code, job.Input, job.SealedSecrets, job.FunctionId, job.UserId, job.TimeoutMs, job.RequestedAt)
                {
                    SealedNamedSecrets = NamedSecretsJson.Read(job.SealedNamedSecrets),
                },
                publishTimeout.Token))).ConfigureAwait(false);
        }

        // Published first, committed second: a crash in between publishes them again later, which claims absorb.
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var job in expired)
        {
            LogHandedBack(logger, job.Id, job.WorkerId, job.AttemptCount, job.LeaseExpiresAt);
        }

        return expired.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} lost its lease (worker {WorkerId}, attempt {Attempt}, lease until {LeaseExpiresAt:O}): its worker stopped renewing it (died or stalled); handed back to the queue")]
    private static partial void LogHandedBack(ILogger logger, Guid jobId, string? workerId, int attempt, DateTimeOffset? leaseExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease sweep failed ({Failure}: {Reason}); trying again at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, string failure, string reason);
}
