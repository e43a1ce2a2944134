using MassTransit;
using NeoWorker.Worker.Consumers;
using NeoWorker.Worker.Health;
using NeoWorker.Worker.Jobs;
using NeoWorker.Worker.Leases;
using NeoWorker.Worker.Memory;

namespace NeoWorker.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>The job runner: claims a job, runs it in an enclave, stores the outcome, publishes the event.</summary>
    public static IServiceCollection AddJobExecution(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>()
            .Bind(configuration.GetSection(WorkerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<JobClaims>();
        services.AddHostedService<LeaseSweeper>(); // Leases/: Running jobs of dead workers go back to the queue
        services.AddWorkerShutdown(); // WorkerShutdown: Worker:ShutdownTimeoutSeconds bounds the drain on SIGTERM
        services.AddScoped<JobRunner>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<JobMetrics>();
        services.AddHealthChecks().AddCheck<EnclavePoolHealthCheck>("enclave-pool", tags: ["ready"]);
        services.AddHostedService<CancellationWatcher>();
        services.AddHostedService<IdleMemoryTrimmer>(); // Memory/: gives large inputs' garbage back once idle
        services.AddScoped<JobFaultRecorder>();
        services.AddJobRetention(configuration); // Retention/: deletes finished jobs older than Retention:KeepDays
        return services;
    }

    public static IBusRegistrationConfigurator AddJobConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ExecuteJavaScriptConsumer, ExecuteJavaScriptConsumerDefinition>();
        bus.AddConsumer<ExecuteJavaScriptFaultConsumer, ExecuteJavaScriptFaultConsumerDefinition>();
        return bus;
    }
}
