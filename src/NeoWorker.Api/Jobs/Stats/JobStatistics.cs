using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using NeoWorker.Api.Authentication;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.Jobs.Stats;

/// <summary>
/// Counts and percentiles for <c>GET /api/v1/jobs/stats</c>; tenants see their own jobs only.
/// Counting every job of a large table takes a scan (about 0.3 s at 1,000,000 rows here), so
/// answers are shared for <see cref="CacheFor"/> among the dashboards polling the same scope.
/// </summary>
public sealed class JobStatistics(NeoWorkerDbContext db, IMemoryCache cache, TimeProvider clock)
{
    public const int MaxWindowMinutes = 7 * 24 * 60;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    public async Task<JobStats> ComputeAsync(int windowMinutes, Caller caller, CancellationToken cancellationToken)
    {
        var userId = caller.IsOps ? null : caller.UserId;
        var key = (nameof(JobStatistics), userId, windowMinutes);
        if (cache.TryGetValue(key, out JobStats? cached) && cached is not null)
        {
            return cached;
        }

        var stats = await QueryAsync(windowMinutes, userId, cancellationToken).ConfigureAwait(false);
        cache.Set(key, stats, CacheFor);
        return stats;
    }

    private async Task<JobStats> QueryAsync(int windowMinutes, string? userId, CancellationToken cancellationToken)
    {
        var jobs = db.Jobs.AsNoTracking().Where(j => userId == null || j.UserId == userId);

        var perStatus = await jobs
            .GroupBy(j => j.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var counts = Enum.GetValues<JobStatus>().ToDictionary(s => s.ToString(), s => perStatus.FirstOrDefault(p => p.Status == s)?.Count ?? 0L);

        var since = DatabaseClock.UtcNow(clock).AddMinutes(-windowMinutes);
        var perMinute = await db.Database.SqlQuery<CompletionsInMinute>($"""
                SELECT date_trunc('minute', completed_at) AS minute, count(*) AS count
                FROM neoworker.jobs
                WHERE completed_at >= {since} AND ({userId}::text IS NULL OR user_id = {userId})
                GROUP BY 1 ORDER BY 1
                """)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

        // Percentiles over jobs the enclave ran (execution_time_ms is null for jobs rejected or faulted before running).
        var times = await db.Database.SqlQuery<ExecutionTimeSummary>($"""
                SELECT count(execution_time_ms) AS count,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms) AS p50,
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY execution_time_ms) AS p95
                FROM neoworker.jobs
                WHERE completed_at >= {since} AND execution_time_ms IS NOT NULL AND ({userId}::text IS NULL OR user_id = {userId})
                """)
            .SingleAsync(cancellationToken)
            .ConfigureAwait(false);

        return new JobStats(counts, counts.Values.Sum(), windowMinutes, perMinute, times);
    }
}
