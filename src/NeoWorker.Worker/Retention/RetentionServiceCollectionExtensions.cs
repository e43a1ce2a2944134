using Microsoft.Extensions.DependencyInjection.Extensions;
using NeoWorker.Worker.Retention;

// In the project's root namespace, like the other AddXxx extensions, so hosts need no extra using.
namespace NeoWorker.Worker;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>The retention job: deletes finished jobs older than <c>Retention:KeepDays</c>, in batches.</summary>
    public static IServiceCollection AddJobRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobRetention>();
        services.AddHostedService<JobRetentionService>();
        return services;
    }
}
