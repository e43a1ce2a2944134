using Microsoft.EntityFrameworkCore;
using NeoWorker.Api.Authentication;
using NeoWorker.Contracts;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.Jobs;

/// <summary>Reads jobs as a caller may see them: tenants their own, ops all.</summary>
public sealed class JobQueries(NeoWorkerDbContext db, TimeProvider clock)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<JobView?> FindAsync(Guid jobId, Caller caller, CancellationToken cancellationToken)
    {
        var job = await FindSourceAsync(jobId, caller, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        var proof = await (from p in db.AttestationProofs.AsNoTracking()
                           join e in db.EnclaveEvidence.AsNoTracking() on p.EnclaveKeyId equals e.EnclaveKeyId
                           where p.JobId == jobId
                           select new ExecutionProof(p.Statement, p.Signature, e.EnclavePublicKey, e.Evidence))
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return JobView.From(job, proof);
    }

    /// <summary>The job row itself (code and input included), if the caller may see it.</summary>
    public Task<Job?> FindSourceAsync(Guid jobId, Caller caller, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking()
            .Where(j => j.Id == jobId && (caller.IsOps || j.UserId == caller.UserId))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Polls until the job is finished or <paramref name="wait"/> has passed; returns the last view.</summary>
    public async Task<JobView?> WaitForCompletionAsync(Guid jobId, Caller caller, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            var view = await FindAsync(jobId, caller, cancellationToken).ConfigureAwait(false);
            if (view is null || Enum.Parse<JobStatus>(view.Status).IsTerminal() || clock.GetUtcNow() >= deadline)
            {
                return view;
            }

            await Task.Delay(PollInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
