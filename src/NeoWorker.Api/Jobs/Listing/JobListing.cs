using Microsoft.EntityFrameworkCore;
using NeoWorker.Api.Authentication;
using NeoWorker.Persistence;

namespace NeoWorker.Api.Jobs.Listing;

/// <summary>
/// Pages through jobs newest first with keyset paging on (requested_at, id): each page is one
/// index range scan below the previous page's last key, so page 1,000 costs what page 1 costs
/// (an OFFSET would read and discard every earlier row).
/// </summary>
public sealed class JobListing(NeoWorkerDbContext db)
{
    public async Task<JobPage> ListAsync(JobListFilter filter, Caller caller, CancellationToken cancellationToken)
    {
        var jobs = db.Jobs.AsNoTracking();
        var userId = caller.IsOps ? filter.UserId : caller.UserId;
        if (userId is not null)
        {
            jobs = jobs.Where(j => j.UserId == userId);
        }

        if (filter.Statuses.Count == 1)
        {
            var status = filter.Statuses[0];
            jobs = jobs.Where(j => j.Status == status);
        }
        else if (filter.Statuses.Count > 1)
        {
            var statuses = filter.Statuses.ToArray();
            jobs = jobs.Where(j => statuses.Contains(j.Status));
        }

        if (filter.FunctionId is not null)
        {
            jobs = jobs.Where(j => j.FunctionId == filter.FunctionId);
        }

        if (filter.From is { } from)
        {
            jobs = jobs.Where(j => j.RequestedAt >= from);
        }

        if (filter.To is { } to)
        {
            jobs = jobs.Where(j => j.RequestedAt < to);
        }

        if (filter.Cursor is { } cursor)
        {
            // A row-value comparison, (requested_at, id) < (@at, @id), which PostgreSQL answers from the index.
            jobs = jobs.Where(j => EF.Functions.LessThan(ValueTuple.Create(j.RequestedAt, j.Id), ValueTuple.Create(cursor.RequestedAt, cursor.JobId)));
        }

        // One row more than asked tells whether there is a next page without a count.
        var rows = await jobs
            .OrderByDescending(j => j.RequestedAt).ThenByDescending(j => j.Id)
            .Take(filter.Limit + 1)
            .Select(j => new JobSummary(j.Id, j.FunctionId, j.UserId, j.Status.ToString(), j.ErrorCode, j.ExecutionTimeMs, j.AttemptCount,
                j.RequestedAt, j.StartedAt, j.CompletedAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

        if (rows.Count <= filter.Limit)
        {
            return new JobPage(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        var last = rows[^1];
        return new JobPage(rows, new JobCursor(last.RequestedAt, last.JobId).Encode());
    }
}
