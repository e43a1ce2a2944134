using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NeoWorker.ServiceDefaults.Observability;

/// <summary>
/// Prometheus metrics at <c>/metrics</c>. NeoWorker's instruments are System.Diagnostics.Metrics
/// (meters "NeoWorker.*", made through IMeterFactory), so the code that counts knows nothing of
/// Prometheus; <see cref="PrometheusMetricsCollector"/> renders them.
/// </summary>
public static class MetricsExtensions
{
    public static IServiceCollection AddNeoWorkerMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<PrometheusMetricsCollector>();
        return services;
    }

    public static IEndpointConventionBuilder MapNeoWorkerMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Start listening now, not at the first scrape, so nothing counted before it is missed.
        var collector = endpoints.ServiceProvider.GetRequiredService<PrometheusMetricsCollector>();
        return endpoints.MapGet("/metrics", () => Results.Text(collector.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .ExcludeFromDescription();
    }
}
