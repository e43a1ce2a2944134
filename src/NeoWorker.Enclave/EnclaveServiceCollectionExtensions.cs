using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Metrics;
using NeoWorker.Enclave.Occlum;
using NeoWorker.Enclave.Pool;
using NeoWorker.Enclave.Protocol;
using NeoWorker.Enclave.Simulation;

namespace NeoWorker.Enclave;

public static class EnclaveServiceCollectionExtensions
{
    /// <summary>Binds and validates the <c>Tee</c> section only (for hosts that check limits but run no enclave).</summary>
    public static IServiceCollection AddTeeOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TeeOptions>()
            .Bind(configuration.GetSection(TeeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<TeeOptions>, TeeOptionsPostConfigure>();
        return services;
    }

    /// <summary>
    /// The enclave pool of a worker: <c>Tee:Workers</c> warm enclaves started and stopped with the host, on the
    /// backend <c>Tee:Type</c> names (Simulation: the host's Node.js; Occlum: <c>occlum run</c> per instance copy).
    /// </summary>
    public static IServiceCollection AddEnclavePool(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTeeOptions(configuration);
        services.AddSingleton<IValidateOptions<TeeOptions>, TeeOptionsValidator>();
        services.AddSingleton<SimulationRunnerLauncher>();
        services.AddSingleton<OcclumRunnerLauncher>();
        services.AddSingleton<IRunnerLauncher>(sp => sp.GetRequiredService<IOptions<TeeOptions>>().Value.Type switch
        {
            TeeType.Occlum => sp.GetRequiredService<OcclumRunnerLauncher>(),
            _ => sp.GetRequiredService<SimulationRunnerLauncher>(),
        });
        services.AddMetrics();
        services.AddSingleton<EnclaveMetrics>();
        services.AddSingleton<EnclavePool>();
        services.AddSingleton<IEnclavePool>(sp => sp.GetRequiredService<EnclavePool>());
        services.AddHostedService(sp => sp.GetRequiredService<EnclavePool>());
        return services;
    }
}
