using MassTransit;
using Microsoft.Extensions.Options;

namespace NeoWorker.Worker;

/// <summary>
/// Graceful shutdown, bounded by <see cref="WorkerOptions.ShutdownTimeoutSeconds"/>. On SIGTERM the host stops
/// its services in reverse order: the bus first (it stops taking messages at once and waits up to the bound
/// for the consumers running; then it cancels them, and their jobs are handed back and their commands
/// returned to the queue), then the enclave pool. The host's and MassTransit's own timeouts are derived
/// from the bound here, so neither cuts the wait short nor outlasts it by much.
/// </summary>
public static class WorkerShutdown
{
    /// <summary>After the bound: time to hand cancelled jobs back, stop the bus and end the enclaves.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddWorkerShutdown(this IServiceCollection services)
    {
        // PostConfigure: applied after every Configure, including the messaging defaults.
        services.AddOptions<MassTransitHostOptions>().PostConfigure<IOptions<WorkerOptions>>((host, worker) =>
        {
            var bound = TimeSpan.FromSeconds(worker.Value.ShutdownTimeoutSeconds);
            host.ConsumerStopTimeout = bound;
            host.StopTimeout = bound + (Margin / 2);
        });
        services.AddOptions<HostOptions>().PostConfigure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(worker.Value.ShutdownTimeoutSeconds) + Margin);
        services.AddHostedService<ShutdownLog>();
        return services;
    }
}
