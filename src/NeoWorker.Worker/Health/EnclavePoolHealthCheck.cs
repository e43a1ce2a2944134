using Microsoft.Extensions.Diagnostics.HealthChecks;
using NeoWorker.Enclave.Pool;

namespace NeoWorker.Worker.Health;

/// <summary>
/// Ready once every enclave of the pool has started: until then a job would wait for a cold start. Degraded (still
/// ready: jobs without sealed secrets run) while enclaves wait for the fleet's sealing keys to be released.
/// </summary>
internal sealed class EnclavePoolHealthCheck(IEnclavePool pool) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!pool.IsWarm)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The enclave pool ({pool.Size}) is still starting."));
        }

        var summary = $"{pool.Size} enclave(s) warm{(pool.IsSimulated ? " (simulation)" : "")}; {pool.Restarts} restart(s) so far.";
        return Task.FromResult(pool.AwaitingSealingKey is > 0 and var waiting
            ? HealthCheckResult.Degraded($"{summary} {waiting} await the fleet's sealing key: answer their key requests in "
                + "Tee:KeyRelease:RequestDirectory with ops/release_sealing_key.sh.")
            : HealthCheckResult.Healthy(summary));
    }
}
