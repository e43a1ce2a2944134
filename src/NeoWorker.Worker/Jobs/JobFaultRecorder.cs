using MassTransit;
using Microsoft.Extensions.Options;
using NeoWorker.Contracts;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;
using NeoWorker.Worker.Consumers;

namespace NeoWorker.Worker.Jobs;

/// <summary>
/// Ends the job of a command that failed for good (its retries ran out, or a permanent error) as Faulted
/// and publishes its completion event, so no accepted job stays Queued or Running forever.
/// </summary>
public sealed class JobFaultRecorder(JobStore store, JobClaims claims, JobMetrics metrics, IOptions<WorkerOptions> options, TimeProvider clock, ILogger<JobFaultRecorder> logger)
{
    public async Task RecordAsync(Fault<ExecuteJavaScript> fault, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        metrics.MessageFaulted();
        var command = fault.Message;
        var first = fault.Exceptions.FirstOrDefault();
        if (command.JobId == Guid.Empty || first?.ExceptionType == typeof(InvalidCommandException).FullName)
        {
            // Refused before anything was recorded (and logged then); it sits in the _error queue.
            return;
        }

        var jobId = command.JobId;
        // A claim this worker parked for the command's retries is given up with them (its lease is no longer renewed).
        claims.TryResume(jobId);
        // Exception types and messages only: never the command's code, input or secrets.
        var reason = first is not null ? $"{first.ExceptionType}: {first.Message}" : "retries exhausted";
        var now = DatabaseClock.UtcNow(clock);

        // The command may have failed before its job was recorded (the database was down all along): record it
        // now, so that the publisher, who was promised an event, gets a Faulted one.
        if (CommandCheck.Problem(command, bodyBytes: null, options.Value.MaxCommandBytes) is { } problem)
        {
            Log.FaultWithoutJob(logger, jobId, problem);
            return;
        }

        await store.InsertIfMissingAsync(CommandJobs.NewJob(command, correlationId: null, now), cancellationToken).ConfigureAwait(false);
        if (await store.FaultAsync(jobId, "InfrastructureFault", reason, now, cancellationToken).ConfigureAwait(false))
        {
            Log.JobFaulted(logger, jobId, reason);
        }

        var job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {jobId} vanished while its fault was recorded.");
        if (!job.Status.IsTerminal())
        {
            // A claim that has not run out holds it: its worker may still finish it (a duplicate command ran out
            // of retries), or it died and the lease will pass. Try again later; the fault consumer's retries
            // outlast any lease.
            Log.FaultWaitsForLease(logger, jobId, job.LeaseExpiresAt);
            throw new JobBusyException(jobId);
        }

        // Faulted now, or finished by its holder meanwhile: the same event the job's own completion carries.
        var proof = await store.FindProofAsync(jobId, cancellationToken).ConfigureAwait(false);
        await publisher.Publish(CompletionEvents.From(job, proof), cancellationToken).ConfigureAwait(false);
    }
}
