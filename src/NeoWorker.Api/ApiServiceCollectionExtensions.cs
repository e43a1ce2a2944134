using Microsoft.AspNetCore.Builder;
using NeoWorker.Api.Attestation;
using NeoWorker.Api.Dispatch;
using NeoWorker.Api.Health;
using NeoWorker.Api.Jobs;
using NeoWorker.Api.Secrets;
using Microsoft.Extensions.Options;

namespace NeoWorker.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The API's own services: job submission, the command dispatcher (outbox), queries, health, problem details.</summary>
    public static IServiceCollection AddNeoWorkerApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>()
            .Bind(configuration.GetSection(ApiOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SealingOptions>()
            .Bind(configuration.GetSection(SealingOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SealingOptions>, SealingOptionsValidator>();
        services.AddSingleton<SecretsSealing>();
        services.AddOptions<AttestationOptions>()
            .Bind(configuration.GetSection(AttestationOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AttestationOptions>, AttestationOptionsValidator>();
        services.AddSingleton<ProofVerification>();
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailableHandler>(); // PostgreSQL down: 503 + Retry-After on every route
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DispatchSignal>();
        services.AddHostedService<JobDispatcher>();
        services.AddScoped<JobSubmissions>();
        services.AddScoped<JobQueries>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return services;
    }

    /// <summary>Every error, including malformed JSON bodies and unhandled exceptions, leaves as RFC 7807 problem details.</summary>
    public static WebApplication UseNeoWorkerErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A malformed body is the caller's error (400, 413…), not ours (500).
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        return app;
    }
}
