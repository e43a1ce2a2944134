using Microsoft.EntityFrameworkCore;
using NeoWorker.Contracts;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Persistence;

/// <summary>
/// The job state transitions, each one conditional single statement so that concurrent workers,
/// redeliveries and crashes can never move a job backwards or finish it twice.
/// </summary>
public sealed class JobStore(NeoWorkerDbContext db, StoredEvidence storedEvidence)
{
    /// <summary>Records a job that arrived without a row (direct publishers); a no-op when it exists.</summary>
    public async Task<bool> InsertIfMissingAsync(Job job, CancellationToken cancellationToken)
    {
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO neoworker.jobs (id, function_id, user_id, status, code, code_sha256, input, sealed_secrets,
                                        sealed_named_secrets, timeout_ms, logs_truncated, requested_at, created_at, dispatched_at, attempt_count, correlation_id)
            VALUES ({job.Id}, {job.FunctionId}, {job.UserId}, {job.Status.ToString()}, {job.Code}, {job.CodeSha256}, {job.Input},
                    {job.SealedSecrets}, {job.SealedNamedSecrets}, {job.TimeoutMs}, false, {job.RequestedAt}, {job.CreatedAt}, {job.DispatchedAt}, 0, {job.CorrelationId})
            ON CONFLICT (id) DO NOTHING
            """, cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>
    /// Records and claims a job in one round trip: a new job is inserted already Running (held by
    /// <paramref name="workerId"/>, attempt 1); an existing one is taken when it is Queued, or Running with its
    /// holder's lease passed (that worker died). Returns the claimed row as stored, or null when another worker
    /// holds it or it has finished (the row is then left as it was).
    /// </summary>
    public async Task<Job?> ClaimAsync(Job job, string workerId, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        var claimed = await db.Jobs.FromSqlInterpolated($"""
            INSERT INTO neoworker.jobs AS j (id, function_id, user_id, status, code, code_sha256, input, sealed_secrets,
                                             sealed_named_secrets, timeout_ms, logs_truncated, requested_at, created_at, dispatched_at,
                                             attempt_count, correlation_id, started_at, worker_id, lease_expires_at)
            VALUES ({job.Id}, {job.FunctionId}, {job.UserId}, 'Running', {job.Code}, {job.CodeSha256}, {job.Input},
                    {job.SealedSecrets}, {job.SealedNamedSecrets}, {job.TimeoutMs}, false, {job.RequestedAt}, {job.CreatedAt}, {job.DispatchedAt},
                    1, {job.CorrelationId}, {now}, {workerId}, {leaseExpiresAt})
            ON CONFLICT (id) DO UPDATE
                SET status = 'Running', started_at = excluded.started_at, attempt_count = j.attempt_count + 1,
                    worker_id = excluded.worker_id, lease_expires_at = excluded.lease_expires_at
                WHERE j.status = 'Queued' OR (j.status = 'Running' AND j.lease_expires_at < excluded.started_at)
            RETURNING j.*
            """)
            .AsNoTracking()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return claimed.Count == 0 ? null : claimed[0];
    }

    public Task<Job?> FindAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);

    /// <summary>
    /// Extends this worker's claim (same attempt) before it resumes a job it claimed earlier; false when the
    /// claim is no longer its own (its lease passed and another worker took the job, or the job ended).
    /// </summary>
    public async Task<bool> RenewAsync(Guid jobId, string workerId, int attempt, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        var renewed = await db.Jobs
            .Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.WorkerId == workerId && j.AttemptCount == attempt)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.LeaseExpiresAt, leaseExpiresAt), cancellationToken)
            .ConfigureAwait(false);
        return renewed == 1;
    }

    /// <summary>
    /// Extends the leases of the jobs this worker holds and is still working on (never shortens one): a live
    /// worker's claim must not pass because a job, a database write or the machine is slow.
    /// </summary>
    public async Task<int> RenewHeldAsync(string workerId, IReadOnlyCollection<Guid> jobIds, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return 0;
        }

        var ids = jobIds.ToArray();
        return await db.Jobs
            .Where(j => ids.Contains(j.Id) && j.Status == JobStatus.Running && j.WorkerId == workerId)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.LeaseExpiresAt,
                j => j.LeaseExpiresAt > leaseExpiresAt ? j.LeaseExpiresAt : leaseExpiresAt), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Hands back (Queued) up to <paramref name="limit"/> Running jobs whose lease passed before <paramref name="now"/>:
    /// their worker died. Run it in a transaction and commit only once their commands are published again; the rows
    /// stay locked (SKIP LOCKED) meanwhile, so each is handed back by one sweeper only. Returns the jobs as they were.
    /// </summary>
    public async Task<List<Job>> RequeueExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var expired = await db.Jobs
            .FromSqlInterpolated($"""
                SELECT * FROM neoworker.jobs
                WHERE status = 'Running' AND lease_expires_at < {now}
                ORDER BY lease_expires_at
                LIMIT {limit}
                FOR UPDATE SKIP LOCKED
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        if (expired.Count > 0)
        {
            var ids = expired.Select(j => j.Id).ToArray();
            await db.Jobs.Where(j => ids.Contains(j.Id))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(j => j.Status, JobStatus.Queued)
                    .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken)
                .ConfigureAwait(false);
        }

        return expired;
    }

    /// <summary>Hands a claimed job back (Queued) when it could not be run for reasons not its own.</summary>
    public async Task<bool> ReleaseAsync(Guid jobId, string workerId, int attempt, CancellationToken cancellationToken)
    {
        var released = await db.Jobs
            .Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.WorkerId == workerId && j.AttemptCount == attempt)
            .ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Queued)
                .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken)
            .ConfigureAwait(false);
        return released == 1;
    }

    /// <summary>
    /// Writes the terminal state, and the proof with it, if this worker's claim (attempt) still holds the job: one
    /// statement (the proof's INSERT reads the UPDATE's row), so both or neither are stored, in one round trip.
    /// </summary>
    public async Task<bool> CompleteAsync(Guid jobId, string workerId, int attempt, JobOutcome outcome, CancellationToken cancellationToken)
    {
        if (!outcome.Status.IsTerminal())
        {
            throw new ArgumentException($"{outcome.Status} is not a terminal state.", nameof(outcome));
        }

        var status = outcome.Status.ToString();
        if (outcome.Proof is not { } proof)
        {
            return await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE neoworker.jobs
                SET status = {status}, result = {outcome.Result}, error_code = {outcome.ErrorCode}, error = {outcome.Error}, logs = {outcome.Logs},
                    logs_truncated = {outcome.LogsTruncated}, execution_time_ms = {outcome.ExecutionTimeMs}, gas_used = {outcome.GasUsed},
                    enclave_id = {outcome.EnclaveId}, completed_at = {outcome.CompletedAt}, lease_expires_at = NULL
                WHERE id = {jobId} AND status = 'Running' AND worker_id = {workerId} AND attempt_count = {attempt}
                """, cancellationToken).ConfigureAwait(false) == 1;
        }

        // The enclave's evidence (several KB, the same for all its jobs) is written once per enclave key, before
        // the first proof that references it; on its own, since an extra evidence row is harmless.
        if (!storedEvidence.Contains(proof.EnclaveKeyId))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO neoworker.enclave_evidence (enclave_key_id, enclave_public_key, evidence_type, evidence, simulated, mr_enclave, first_seen_at)
                VALUES ({proof.EnclaveKeyId}, {proof.EnclavePublicKey}, {proof.EvidenceType}, {proof.Evidence}, {proof.Simulated}, {proof.MrEnclave}, {outcome.CompletedAt})
                ON CONFLICT (enclave_key_id) DO NOTHING
                """, cancellationToken).ConfigureAwait(false);
            storedEvidence.Add(proof.EnclaveKeyId);
        }

        try
        {
            return await db.Database.ExecuteSqlInterpolatedAsync($"""
                WITH finished AS (
                    UPDATE neoworker.jobs
                    SET status = {status}, result = {outcome.Result}, error_code = {outcome.ErrorCode}, error = {outcome.Error}, logs = {outcome.Logs},
                        logs_truncated = {outcome.LogsTruncated}, execution_time_ms = {outcome.ExecutionTimeMs}, gas_used = {outcome.GasUsed},
                        enclave_id = {outcome.EnclaveId}, completed_at = {outcome.CompletedAt}, lease_expires_at = NULL
                    WHERE id = {jobId} AND status = 'Running' AND worker_id = {workerId} AND attempt_count = {attempt}
                    RETURNING id)
                INSERT INTO neoworker.attestation_proofs (job_id, statement, signature, enclave_key_id, created_at)
                SELECT id, {proof.Statement}, {proof.Signature}, {proof.EnclaveKeyId}, {outcome.CompletedAt} FROM finished
                """, cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.ForeignKeyViolation)
        {
            // The evidence row is gone (a restored or reset database): write it again on the retry.
            storedEvidence.Forget(proof.EnclaveKeyId);
            throw;
        }
    }

    /// <summary>The job's proof with its enclave's evidence, as subscribers and the API get it.</summary>
    public async Task<ExecutionProofRow?> FindProofAsync(Guid jobId, CancellationToken cancellationToken) =>
        await (from proof in db.AttestationProofs.AsNoTracking()
               join evidence in db.EnclaveEvidence.AsNoTracking() on proof.EnclaveKeyId equals evidence.EnclaveKeyId
               where proof.JobId == jobId
               select new ExecutionProofRow(proof.Statement, proof.Signature, evidence.EnclavePublicKey, evidence.Evidence, evidence.Simulated))
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Cancels a job that has not started: Queued → Canceled in one statement, so a worker that
    /// claims it afterwards finds it finished and never runs it.
    /// </summary>
    public async Task<bool> CancelQueuedAsync(Guid jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Jobs
            .Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Canceled)
                .SetProperty(j => j.ErrorCode, ErrorCodes.Canceled)
                .SetProperty(j => j.Error, "The job was canceled before it started.")
                .SetProperty(j => j.CancelRequestedAt, now)
                .SetProperty(j => j.CompletedAt, now), cancellationToken)
            .ConfigureAwait(false) == 1;

    /// <summary>Marks a Running job for cancellation; the worker holding it stops the enclave's job.</summary>
    public async Task<bool> RequestCancelAsync(Guid jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Jobs
            .Where(j => j.Id == jobId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.CancelRequestedAt, j => j.CancelRequestedAt ?? now), cancellationToken)
            .ConfigureAwait(false) == 1;

    /// <summary>Which of the jobs this worker runs have been asked to stop (an index scan over the few such rows).</summary>
    public async Task<IReadOnlyList<Guid>> FindCancelRequestedAsync(string workerId, IReadOnlyCollection<Guid> running,
        CancellationToken cancellationToken) =>
        await db.Jobs.AsNoTracking()
            .Where(j => j.WorkerId == workerId && j.Status == JobStatus.Running && j.CancelRequestedAt != null && running.Contains(j.Id))
            .Select(j => j.Id)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// Ends a job that never finished (poison command, retries exhausted) as Faulted, unless it ended
    /// already or a live worker still holds it (that worker will finish it).
    /// </summary>
    public async Task<bool> FaultAsync(Guid jobId, string errorCode, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = await db.Jobs
            .Where(j => j.Id == jobId
                && (j.Status == JobStatus.Queued || (j.Status == JobStatus.Running && !(j.LeaseExpiresAt >= now))))
            .ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Faulted)
                .SetProperty(j => j.ErrorCode, errorCode)
                .SetProperty(j => j.Error, error)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken)
            .ConfigureAwait(false);
        return updated == 1;
    }
}
