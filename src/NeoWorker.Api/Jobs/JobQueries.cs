using Microsoft.EntityFrameworkCore;
using NeoWorker.Api.Authentication;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.Jobs;

/// <summary>Reads jobs as a caller may see them: tenants their own, ops all.</summary>
public sealed class JobQueries(NeoWorkerDbContext db, JobStore store, TimeProvider clock)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<JobView?> FindAsync(Guid jobId, Caller caller, CancellationToken cancellationToken)
    {
        var job = await FindSourceAsync(jobId, caller, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        var proof = await store.FindProofAsync(jobId, cancellationToken).ConfigureAwait(false);
        return JobView.From(job, proof?.ToExecutionProof());
    }

    /// <summary>The job row itself (code and input included), if the caller may see it.</summary>
    public Task<Job?> FindSourceAsync(Guid jobId, Caller caller, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking()
            .Where(j => j.Id == jobId && (caller.IsOps || j.UserId == caller.UserId))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Polls the job's state (one small query) until it is finished or <paramref name="wait"/> has passed; returns the view then.</summary>
    public async Task<JobView?> WaitForCompletionAsync(Guid jobId, Caller caller, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + wait;
        while (clock.GetUtcNow() < deadline)
        {
            var status = await db.Jobs.AsNoTracking()
                .Where(j => j.Id == jobId && (caller.IsOps || j.UserId == caller.UserId))
                .Select(j => (JobStatus?)j.Status)
                .SingleOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            if (status is null || status.Value.IsTerminal())
            {
                break;
            }

            await Task.Delay(PollInterval, clock, cancellationToken).ConfigureAwait(false);
        }

        return await FindAsync(jobId, caller, cancellationToken).ConfigureAwait(false);
    }
}
