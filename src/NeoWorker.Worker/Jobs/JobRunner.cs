using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using NeoWorker.Attestation;
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
public sealed class JobRunner(
    JobStore store,
    IEnclavePool enclaves,
    RunningJobs running,
    JobMetrics metrics,
    WorkerIdentity worker,
    IOptions<TeeOptions> tee,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<JobRunner> logger)
{
    public async Task RunAsync(ExecuteJavaScript command, string? correlationId, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        var now = DatabaseClock.UtcNow(clock);
        await store.InsertIfMissingAsync(NewJob(command, correlationId, now), cancellationToken).ConfigureAwait(false);

        var timeoutMs = EffectiveTimeoutMs(command.TimeoutMs);
        var lease = now.AddMilliseconds(timeoutMs + tee.Value.WatchdogGraceMs).AddSeconds(options.Value.LeaseGraceSeconds);
        var job = await store.TryClaimAsync(command.JobId, worker.Id, now, lease, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            await RepublishOrWaitAsync(command.JobId, publisher, cancellationToken).ConfigureAwait(false);
            return;
        }

        Log.JobStarted(logger, job.Id, job.UserId, job.FunctionId, job.AttemptCount);
        metrics.JobStarted(now - job.RequestedAt);
        var outcome = Reject(job) ?? await ExecuteAsync(job, timeoutMs, cancellationToken).ConfigureAwait(false);

        if (!await store.CompleteAsync(job.Id, worker.Id, job.AttemptCount, outcome, cancellationToken).ConfigureAwait(false))
        {
            // Our lease passed and another worker took the job over; its outcome is the one that counts.
            Log.JobClaimLost(logger, job.Id);
            await RepublishOrWaitAsync(job.Id, publisher, cancellationToken).ConfigureAwait(false);
            return;
        }

        Log.JobFinished(logger, job.Id, outcome.Status.ToString(), outcome.ErrorCode, outcome.ExecutionTimeMs, outcome.EnclaveId);
        metrics.JobCompleted(outcome.Status.ToString(), outcome.ExecutionTimeMs);
        var proof = outcome.Proof is { } p ? new ExecutionProofRow(p.Statement, p.Signature, p.EnclavePublicKey, p.Evidence, p.Simulated) : null;
        await publisher.Publish(CompletionEvents.From(Apply(job, outcome), proof), cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobOutcome> ExecuteAsync(Job job, int timeoutMs, CancellationToken cancellationToken)
    {
        using var registration = running.Register(job.Id);
        var request = new EnclaveJob(job.Id.ToString(), job.Code, job.Input, job.SealedSecrets,
            NamedSecretsJson.Read(job.SealedNamedSecrets), job.UserId, job.FunctionId, timeoutMs)
        {
            StopRequested = registration.StopRequested,
        };
        try
        {
            var result = await enclaves.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
            var proof = result.Proof is { } p
                ? new ProofRecord(p.Statement, p.Signature, p.EnclaveKeyId, p.EnclavePublicKey, "sgx-dcap-quote-v3", p.Evidence, p.Simulated, p.MrEnclave)
                : null;
            return new JobOutcome(Enum.Parse<JobStatus>(result.Status), result.Result, result.ErrorCode, result.Error, result.Logs,
                result.LogsTruncated, result.ExecutionTimeMs, result.GasUsed, result.EnclaveId, DatabaseClock.UtcNow(clock), proof);
        }
        catch (Exception ex) when (ex is OperationCanceledException or EnclaveUnavailableException)
        {
            // Not the function's fault: hand the job back so the redelivered command can run it.
            Log.JobReleased(logger, job.Id, ex.Message);
            await store.ReleaseAsync(job.Id, worker.Id, job.AttemptCount, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

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

    private async Task RepublishOrWaitAsync(Guid jobId, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        var existing = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {jobId} vanished while being claimed.");
        if (!existing.Status.IsTerminal())
        {
            throw new JobBusyException(jobId);
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

    private static Job NewJob(ExecuteJavaScript command, string? correlationId, DateTimeOffset now) => new()
    {
        Id = command.JobId,
        FunctionId = command.FunctionId ?? "",
        UserId = command.UserId ?? "",
        Code = command.Code ?? "",
        CodeSha256 = ContentHash.Sha256Hex(command.Code ?? ""),
        Input = command.Input,
        SealedSecrets = command.SealedSecrets,
        SealedNamedSecrets = NamedSecretsJson.Write(command.SealedNamedSecrets),
        TimeoutMs = command.TimeoutMs,
        CorrelationId = correlationId,
        RequestedAt = DatabaseClock.Truncate(command.RequestedAt == default ? now : command.RequestedAt.ToUniversalTime()),
        CreatedAt = now,
        DispatchedAt = now,
    };

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
