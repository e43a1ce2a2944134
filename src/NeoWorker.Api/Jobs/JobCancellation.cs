using Microsoft.Extensions.Options;
using NeoWorker.Api.Authentication;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.Jobs;

/// <summary>
/// Queued → Canceled at once (the worker that later receives the command finds it finished and
/// only publishes its event); Running → marked, and the worker holding it stops the enclave's
/// job, which then ends Canceled. Waits a little for that so the caller usually gets the end state.
/// </summary>
public sealed class JobCancellation(JobStore store, JobQueries queries, IOptions<ApiOptions> options, TimeProvider clock)
{
    public async Task<CancelOutcome> CancelAsync(Guid jobId, Caller caller, CancellationToken cancellationToken)
    {
        // Two rounds: a Queued job may be claimed between our read and our update.
        for (var round = 0; round < 2; round++)
        {
            var job = await queries.FindSourceAsync(jobId, caller, cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                return new CancelOutcome.NotFound();
            }

            var now = DatabaseClock.UtcNow(clock);
            switch (job.Status)
            {
                case JobStatus.Queued when await store.CancelQueuedAsync(jobId, now, cancellationToken).ConfigureAwait(false):
                    return new CancelOutcome.Canceled(await ViewAsync(jobId, caller, cancellationToken).ConfigureAwait(false));
                case JobStatus.Running when await store.RequestCancelAsync(jobId, now, cancellationToken).ConfigureAwait(false):
                    return await AwaitStopAsync(jobId, caller, cancellationToken).ConfigureAwait(false);
                case var status when status.IsTerminal():
                    return new CancelOutcome.AlreadyFinished(await ViewAsync(jobId, caller, cancellationToken).ConfigureAwait(false));
            }
        }

        // Still changing under us: report where it is now.
        return new CancelOutcome.Stopping(await ViewAsync(jobId, caller, cancellationToken).ConfigureAwait(false));
    }

    private async Task<CancelOutcome> AwaitStopAsync(Guid jobId, Caller caller, CancellationToken cancellationToken)
    {
        var view = await queries.WaitForCompletionAsync(jobId, caller, TimeSpan.FromSeconds(options.Value.CancelWaitSeconds), cancellationToken)
            .ConfigureAwait(false) ?? throw new InvalidOperationException($"Job {jobId} vanished while being canceled.");
        return Enum.Parse<JobStatus>(view.Status) switch
        {
            JobStatus.Canceled => new CancelOutcome.Canceled(view),
            var status when status.IsTerminal() => new CancelOutcome.AlreadyFinished(view),
            _ => new CancelOutcome.Stopping(view),
        };
    }

    private async Task<JobView> ViewAsync(Guid jobId, Caller caller, CancellationToken cancellationToken) =>
        await queries.FindAsync(jobId, caller, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {jobId} vanished while being canceled.");
}
