using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
namespace NeoWorker.Persistence.Health;

/// <summary>Ready only when PostgreSQL answers and NeoWorker's schema is there.</summary>
internal sealed class PostgresHealthCheck(NeoWorkerDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.Jobs.AnyAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable or not migrated (apply migrations/neoworker.sql).", ex);
        }
    }
}
