using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using NeoWorker.Contracts;
using NeoWorker.Enclave;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Pool;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Worker.Jobs;

/// <summary>
/// One command, start to end: record the job if it is new, claim it, run it in an enclave, store
/// the terminal state, then publish the completion event. A redelivered command for a finished
/// job republishes the stored event and never runs the code again.
/// </summary>
/// <remarks>
/// Faults (each one retried by the consumer's retry policy, with backoff and jitter, a bounded number of times):
/// the database or broker failing before the claim simply repeats the attempt; after the claim, the claim is
/// parked in <see cref="JobClaims"/> with the enclave's outcome if there is one, so the retry stores that outcome
/// instead of running the function again; an enclave that died under the job or could not be reached, and a
/// shutdown that cancels the job, hand it back (Queued) so it runs again here or elsewhere.
/// </remarks>
public sealed class JobRunner(
    JobStore store,
    IEnclavePool enclaves,
    RunningJobs running,
    JobMetrics metrics,
    WorkerIdentity worker,
    JobClaims claims,
    IOptions<TeeOptions> tee,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<JobRunner> logger)
{
    private static readonly TimeSpan LateClaim = TimeSpan.FromSeconds(1);

    public async Task RunAsync(ExecuteJavaScript command, string? correlationId, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        var timeoutMs = EffectiveTimeoutMs(command.TimeoutMs);
        var claim = await ResumeAsync(command.JobId, timeoutMs, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            var now = DatabaseClock.UtcNow(clock);
            var job = await store.ClaimAsync(CommandJobs.NewJob(command, correlationId, now), worker.Id, now, LeaseFrom(now, timeoutMs),
                cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                await RepublishOrLeaveAsync(command.JobId, publisher, cancellationToken).ConfigureAwait(false);
                return;
            }

            claim = new JobClaim(job, timeoutMs);
            if (!await RenewIfLateAsync(claim, now, cancellationToken).ConfigureAwait(false))
            {
                // The statement waited past the lease and another worker took the job meanwhile: it is theirs.
                Log.JobClaimLost(logger, job.Id);
                await RepublishOrLeaveAsync(command.JobId, publisher, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        claims.Activate(claim.Job.Id);
        try
        {
            await FinishAsync(claim, publisher, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            claims.Deactivate(claim.Job.Id);
        }
    }

    /// <summary>The claim an earlier attempt of this command parked, if it is still this worker's.</summary>
    private async Task<JobClaim?> ResumeAsync(Guid jobId, int timeoutMs, CancellationToken cancellationToken)
    {
        if (claims.TryResume(jobId) is not { } parked)
        {
            return null;
        }

        if (parked.Outcome is not null)
        {
            return parked; // storing it checks that the claim still holds
        }

        // Not run yet: our lease may have passed meanwhile and another worker taken the job.
        bool renewed;
        try
        {
            var now = DatabaseClock.UtcNow(clock);
            renewed = await store.RenewAsync(jobId, worker.Id, parked.Job.AttemptCount, LeaseFrom(now, timeoutMs), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            claims.Park(parked);
            throw;
        }

        return renewed ? parked : null;
    }

    private async Task FinishAsync(JobClaim claim, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        var job = claim.Job;
        var outcome = claim.Outcome;
        try
        {
            if (outcome is null)
            {
                Log.JobStarted(logger, job.Id, job.UserId, job.FunctionId, job.AttemptCount);
                metrics.JobStarted(DatabaseClock.UtcNow(clock) - job.RequestedAt);
                outcome = Reject(job) ?? await ExecuteAsync(claim, cancellationToken).ConfigureAwait(false);
            }

            // The outcome exists now and is stored even while the worker stops: losing it would mean running the job again.
            if (!await store.CompleteAsync(job.Id, worker.Id, job.AttemptCount, outcome, CancellationToken.None).ConfigureAwait(false))
            {
                // Our lease passed and another worker took the job over; its outcome is the one that counts.
                Log.JobClaimLost(logger, job.Id);
                await RepublishOrLeaveAsync(job.Id, publisher, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        catch (Exception ex) when (outcome is not null)
        {
            // The database failed while the outcome was being stored: keep it for the retry of this command.
            Log.OutcomeParked(logger, job.Id, ex.GetType().Name);
            claims.Park(claim with { Outcome = outcome });
            throw;
        }

        Log.JobFinished(logger, job.Id, outcome.Status.ToString(), outcome.ErrorCode, outcome.ExecutionTimeMs, outcome.EnclaveId);
        metrics.JobCompleted(outcome.Status.ToString(), outcome.ExecutionTimeMs);
        var proof = outcome.Proof is { } p ? new ExecutionProofRow(p.Statement, p.Signature, p.EnclavePublicKey, p.Evidence, p.Simulated) : null;
        await publisher.Publish(CompletionEvents.From(Apply(job, outcome), proof), cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobOutcome> ExecuteAsync(JobClaim claim, CancellationToken cancellationToken)
    {
        var job = claim.Job;
        using var registration = running.Register(job.Id);
        var request = new EnclaveJob(job.Id.ToString(), job.Code, job.Input, job.SealedSecrets,
            NamedSecretsJson.Read(job.SealedNamedSecrets), job.UserId, job.FunctionId, claim.TimeoutMs)
        {
            StopRequested = registration.StopRequested,
        };
        EnclaveResult result;
        claims.EnclaveStarted();
        try
        {
            result = await enclaves.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or EnclaveUnavailableException)
        {
            // Not the function's fault: hand the job back so the redelivered command can run it.
            await HandBackAsync(claim, ex.Message).ConfigureAwait(false);
            throw;
        }
        finally
        {
            claims.EnclaveEnded();
        }

        if (result.ErrorCode == ErrorCodes.EnclaveCrashed && !registration.StopRequested.IsCancellationRequested)
        {
            // The enclave process died under the job (killed, out of memory, a crash of the runner): the job
            // did not finish, so it is not its result. Retried on a fresh enclave, a bounded number of times.
            // (A stop a caller asked for is the caller's outcome, never retried.)
            var reason = result.Error ?? "The enclave process exited while running the job.";
            await HandBackAsync(claim, reason).ConfigureAwait(false);
            throw new EnclaveCrashedException(reason);
        }

        // One line per execution that ran to completion in an enclave, written before its outcome is
        // stored: the fault tests count these to prove that no finished execution is run again.
        if (result.EnclaveId is { } enclaveId) // null: canceled before any enclave took it
        {
            Log.JobExecuted(logger, job.Id, enclaveId, result.Status, job.AttemptCount);
        }

        var proof = result.Proof is { } p
            ? new ProofRecord(p.Statement, p.Signature, p.EnclaveKeyId, p.EnclavePublicKey, "sgx-dcap-quote-v3", p.Evidence, p.Simulated, p.MrEnclave)
            : null;
        return new JobOutcome(Enum.Parse<JobStatus>(result.Status), result.Result, result.ErrorCode, result.Error, result.Logs,
            result.LogsTruncated, result.ExecutionTimeMs, result.GasUsed, result.EnclaveId, DatabaseClock.UtcNow(clock), proof);
    }

    /// <summary>Releases the claim (Queued again); if even that cannot be written, parks it for the retry.</summary>
    private async Task HandBackAsync(JobClaim claim, string reason)
    {
        Log.JobReleased(logger, claim.Job.Id, reason);
        try
        {
            await store.ReleaseAsync(claim.Job.Id, worker.Id, claim.Job.AttemptCount, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ReleaseFailed(logger, claim.Job.Id, ex.GetType().Name);
            claims.Park(claim);
        }
    }

    /// <summary>
    /// The lease ran from before the claiming statement; when that statement waited (a cold start, a busy database),
    /// the lease is extended from now, so a slow write never shortens the time the job has. False: the claim is no
    /// longer this worker's (the wait outlasted the lease and another worker took the job).
    /// </summary>
    private async Task<bool> RenewIfLateAsync(JobClaim claim, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        var now = DatabaseClock.UtcNow(clock);
        if (now - claimedAt < LateClaim)
        {
            return true;
        }

        try
        {
            return await store.RenewAsync(claim.Job.Id, worker.Id, claim.Job.AttemptCount, LeaseFrom(now, claim.TimeoutMs), cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            claims.Park(claim); // the retry resumes (and renews) this claim instead of waiting for its lease
            throw;
        }
    }

    private DateTimeOffset LeaseFrom(DateTimeOffset now, int timeoutMs) =>
        now.AddMilliseconds(timeoutMs + tee.Value.WatchdogGraceMs).AddSeconds(options.Value.LeaseGraceSeconds);

    /// <summary>Limits a direct publisher can break before anything runs (the API checks them too).</summary>
    private JobOutcome? Reject(Job job)
    {
        var limits = tee.Value.Limits;
        string? error = null;
        var errorCode = ErrorCodes.InvalidInput;
        if (string.IsNullOrWhiteSpace(job.Code))
        {
            error = "code is empty.";
        }
        else if (string.IsNullOrWhiteSpace(job.FunctionId) || string.IsNullOrWhiteSpace(job.UserId))
        {
            error = "functionId and userId are required.";
        }
        else if (Encoding.UTF8.GetByteCount(job.Code) > limits.MaxCodeBytes)
        {
            errorCode = ErrorCodes.CodeTooLarge;
            error = $"code is larger than {limits.MaxCodeBytes} bytes.";
        }
        else if (job.Input is not null && Encoding.UTF8.GetByteCount(job.Input) > limits.MaxInputBytes)
        {
            error = $"input is larger than {limits.MaxInputBytes} bytes.";
        }

        return error is null
            ? null
            : new JobOutcome(JobStatus.Failed, null, errorCode, error, null, false, 0, 0, null, DatabaseClock.UtcNow(clock));
    }

    /// <summary>
    /// The job could not be claimed: it has finished (republish its event, the same as the first), or a live claim
    /// holds it. When this process holds it, the command is retried until the job has finished. When another worker
    /// does, that claim's holder publishes the event when it finishes;
    /// if it dies, its lease passes and <see cref="Leases.LeaseSweeper"/> hands the job back to the queue. So this
    /// copy of the command is dropped: waiting here for the lease would keep a consumer slot, and every slot of a
    /// worker that received a dead worker's redelivered commands, from other jobs for the length of the lease.
    /// </summary>
    private async Task RepublishOrLeaveAsync(Guid jobId, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        var existing = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {jobId} vanished while being claimed.");
        if (!existing.Status.IsTerminal() && existing.WorkerId == worker.Id)
        {
            // This process runs it (a duplicate of the command arrived meanwhile): it ends within its time limit,
            // so retry, and then republish its event like any redelivery of a finished job.
            throw new JobBusyException(jobId);
        }

        if (!existing.Status.IsTerminal())
        {
            Log.JobHeldElsewhere(logger, jobId, existing.WorkerId, existing.LeaseExpiresAt);
            return;
        }

        Log.JobAlreadyFinished(logger, jobId, existing.Status.ToString());
        var proof = await store.FindProofAsync(jobId, cancellationToken).ConfigureAwait(false);
        await publisher.Publish(CompletionEvents.From(existing, proof), cancellationToken).ConfigureAwait(false);
    }

    private int EffectiveTimeoutMs(int? requested)
    {
        var maximum = tee.Value.Occlum.MaxExecutionTimeSeconds * 1000;
        return requested is > 0 ? Math.Min(requested.Value, maximum) : maximum;
    }

    private static Job Apply(Job job, JobOutcome outcome)
    {
        job.Status = outcome.Status;
        job.Result = outcome.Result;
        job.ErrorCode = outcome.ErrorCode;
        job.Error = outcome.Error;
        job.Logs = outcome.Logs;
        job.LogsTruncated = outcome.LogsTruncated;
        job.ExecutionTimeMs = outcome.ExecutionTimeMs;
        job.GasUsed = outcome.GasUsed;
        job.EnclaveId = outcome.EnclaveId;
        job.CompletedAt = outcome.CompletedAt;
        return job;
    }
}
