using MassTransit;
using NeoWorker.Contracts;
using NeoWorker.Persistence;

namespace NeoWorker.Worker.Jobs;

/// <summary>Ends the job of a command that failed for good as Faulted and publishes its completion event.</summary>
public sealed class JobFaultRecorder(JobStore store, JobMetrics metrics, TimeProvider clock, ILogger<JobFaultRecorder> logger)
{
    public async Task RecordAsync(Fault<ExecuteJavaScript> fault, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        metrics.MessageFaulted();
        var jobId = fault.Message.JobId;
        if (jobId == Guid.Empty)
        {
            return;
        }

        // Exception types and messages only: never the command's code, input or secrets.
        var reason = fault.Exceptions.FirstOrDefault() is { } first
            ? $"{first.ExceptionType}: {first.Message}"
            : "retries exhausted";
        Log.JobFaulted(logger, jobId, reason);
        await store.FaultAsync(jobId, "InfrastructureFault", reason, DatabaseClock.UtcNow(clock), cancellationToken).ConfigureAwait(false);

        if (await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false) is { } job && job.CompletedAt is not null)
        {
            await publisher.Publish(CompletionEvents.From(job, proof: null), cancellationToken).ConfigureAwait(false);
        }
    }
}
