using Microsoft.Extensions.Diagnostics.HealthChecks;
using NeoWorker.Enclave.Pool;

namespace NeoWorker.Worker.Health;

/// <summary>Ready once every enclave of the pool has started: until then a job would wait for a cold start.</summary>
internal sealed class EnclavePoolHealthCheck(IEnclavePool pool) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(pool.IsWarm
            ? HealthCheckResult.Healthy($"{pool.Size} enclave(s) warm{(pool.IsSimulated ? " (simulation)" : "")}; {pool.Restarts} restart(s) so far.")
            : HealthCheckResult.Unhealthy($"The enclave pool ({pool.Size}) is still starting."));
}
