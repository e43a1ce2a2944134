using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NeoWorker.Contracts;
using NeoWorker.Persistence;

namespace NeoWorker.Api.Dispatch;

/// <summary>
/// The outbox relay: jobs recorded by the API with no dispatched_at are published as
/// <see cref="ExecuteJavaScript"/> commands and then marked dispatched. Rows are locked with
/// SKIP LOCKED, so several API instances share the work; a crash between publish and commit
/// publishes the command again, which the worker's idempotency absorbs. If RabbitMQ is down the
/// rows simply wait, so an accepted job is never lost.
/// </summary>
internal sealed partial class JobDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    DispatchSignal signal,
    IOptions<ApiOptions> options,
    TimeProvider clock,
    ILogger<JobDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var dispatched = await DispatchBatchAsync(stoppingToken).ConfigureAwait(false);
                failures = 0;
                if (dispatched < options.Value.DispatchBatchSize)
                {
                    await signal.WaitAsync(TimeSpan.FromMilliseconds(options.Value.DispatchPollMs), stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))) * (0.8 + (Random.Shared.NextDouble() * 0.4)));
                LogDispatchFailed(logger, ex, failures, (long)backoff.TotalMilliseconds);
                await Task.Delay(backoff, clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeoWorkerDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var batch = await db.Jobs
            .FromSqlInterpolated($"""
                SELECT * FROM neoworker.jobs
                WHERE dispatched_at IS NULL
                ORDER BY created_at
                LIMIT {options.Value.DispatchBatchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        if (batch.Count == 0)
        {
            return 0;
        }

        using (var publishTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            publishTimeout.CancelAfter(TimeSpan.FromSeconds(options.Value.DispatchPublishTimeoutSeconds));
            await Task.WhenAll(batch.Select(job => bus.Publish(
                new ExecuteJavaScript(job.Id, job.Code, job.Input, job.SealedSecrets, job.FunctionId, job.UserId, job.TimeoutMs, job.RequestedAt)
                {
                    SealedNamedSecrets = NamedSecretsJson.Read(job.SealedNamedSecrets),
                },
                context =>
                {
                    if (job.CorrelationId is { } correlationId)
                    {
                        context.Headers.Set(NeoWorkerHeaders.CorrelationId, correlationId);
                    }
                },
                publishTimeout.Token))).ConfigureAwait(false);
        }

        var ids = batch.Select(j => j.Id).ToArray();
        var now = DatabaseClock.UtcNow(clock);
        await db.Jobs.Where(j => ids.Contains(j.Id))
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.DispatchedAt, now), cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogDispatched(logger, batch.Count);
        return batch.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatched {Count} commands")]
    private static partial void LogDispatched(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatching commands failed ({Failures} in a row); retrying in {BackoffMs} ms")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, int failures, long backoffMs);
}
