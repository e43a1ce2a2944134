using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Worker.Retention;

/// <summary>What one retention pass did.</summary>
public sealed record RetentionPass(DateTimeOffset Cutoff, long Deleted, int Batches);

/// <summary>
/// One retention pass: deletes finished jobs that completed before <c>now - KeepDays</c>, at most
/// <c>BatchSize</c> per short transaction, until none are left. Rows another transaction holds
/// (a worker republishing a job's event, a concurrent pass on another worker) are skipped, never waited for.
/// </summary>
public sealed class JobRetention(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<JobRetention> logger)
{
    /// <summary>Deletes the rows of one batch that reference its jobs (run first, in the batch's transaction).</summary>
    private delegate Task<int> DependentDelete(NeoWorkerDbContext db, IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken);

    /// <summary>
    /// Every table whose rows belong to a job goes with it, in the same transaction, before the job:
    /// one entry per table. attestation_proofs also cascades from jobs; deleting it explicitly keeps
    /// retention right whatever the foreign key says. (A table the job references instead would be
    /// deleted after the job, the same way.) enclave_evidence is shared by many jobs and stays.
    /// </summary>
    private static readonly DependentDelete[] DeleteBeforeJobs =
    [
        (db, ids, ct) => db.AttestationProofs.Where(p => ids.Contains(p.JobId)).ExecuteDeleteAsync(ct),
    ];

    /// <summary>The terminal states, by stored name: Succeeded, Failed, TimedOut, Faulted, Canceled.</summary>
    public static IReadOnlyList<string> FinishedStatuses { get; } =
        [.. Enum.GetValues<JobStatus>().Where(s => s.IsTerminal()).Select(s => s.ToString())];

    public async Task<RetentionPass> RunPassAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = DatabaseClock.UtcNow(timeProvider).AddDays(-settings.KeepDays);
        long deleted = 0;
        var batches = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = await DeleteBatchAsync(cutoff, settings.BatchSize, cancellationToken).ConfigureAwait(false);
            if (count > 0)
            {
                batches++;
                deleted += count;
                RetentionLog.BatchDeleted(logger, batches, count, settings.BatchSize);
            }

            // A short batch means nothing more is due (or the rest is locked: the next pass takes it).
            if (count < settings.BatchSize)
            {
                return new RetentionPass(cutoff, deleted, batches);
            }
        }
    }

    private async Task<int> DeleteBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeoWorkerDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var ids = await db.Database
            .SqlQueryRaw<Guid>(SelectBatchSql(db.Model), FinishedStatuses.ToArray(), cutoff, batchSize)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return 0;
        }

        foreach (var deleteDependents in DeleteBeforeJobs)
        {
            await deleteDependents(db, ids, cancellationToken).ConfigureAwait(false);
        }

        var deleted = await db.Jobs.Where(j => ids.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>
    /// Locks (skipping rows already locked) and returns the ids of at most {2} expired finished jobs.
    /// The requested_at condition is implied by the completed_at one (a job completes after it is
    /// requested) and lets PostgreSQL use the (status, requested_at) index instead of scanning the table.
    /// Table and column names come from the EF model, so a rename cannot silently break retention.
    /// </summary>
    private static string SelectBatchSql(IModel model)
    {
        var job = model.FindEntityType(typeof(Job)) ?? throw new InvalidOperationException("Job is not in the model.");
        var table = StoreObjectIdentifier.Table(job.GetTableName()!, job.GetSchema());
        string Column(string property) => Quote(job.FindProperty(property)!.GetColumnName(table)!);

        return $$"""
            SELECT {{Column(nameof(Job.Id))}} AS "Value"
            FROM {{Quote(table.Schema!)}}.{{Quote(table.Name)}}
            WHERE {{Column(nameof(Job.Status))}} = ANY({0})
              AND {{Column(nameof(Job.RequestedAt))}} < {1}
              AND {{Column(nameof(Job.CompletedAt))}} < {1}
            LIMIT {2}
            FOR UPDATE SKIP LOCKED
            """;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
