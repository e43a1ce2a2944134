using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace NeoWorker.Api.Health;

public static class HealthEndpoints
{
    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: PostgreSQL and RabbitMQ are reachable.</summary>
    public static WebApplication MapNeoWorkerHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
