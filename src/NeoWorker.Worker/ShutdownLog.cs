using Microsoft.Extensions.Options;
using NeoWorker.Worker.Jobs;

namespace NeoWorker.Worker;

/// <summary>Says, when the host starts stopping, how many jobs are running and how long they may take.</summary>
internal sealed partial class ShutdownLog(IHostApplicationLifetime lifetime, JobClaims claims, IOptions<WorkerOptions> options, ILogger<ShutdownLog> logger)
    : IHostedService
{
    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(() =>
            LogStopping(logger, claims.Running, options.Value.ShutdownTimeoutSeconds));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Stopping: no new messages; {Running} running jobs get up to {ShutdownTimeoutSeconds} s to finish, then they are handed back to the queue")]
    private static partial void LogStopping(ILogger logger, int running, int shutdownTimeoutSeconds);
}
