using Microsoft.AspNetCore.Builder;
using NeoWorker.Api.Attestation;
using NeoWorker.Api.Dispatch;
using NeoWorker.Api.Jobs;
using NeoWorker.Api.Jobs.Listing;
using NeoWorker.Api.Jobs.Stats;
using NeoWorker.Api.Secrets;
using System.Text.Json.Serialization;
using KestrelServerOptions = Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions;
using Microsoft.Extensions.Options;
using NeoWorker.Api.Errors;
using NeoWorker.Api.Observability;

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
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemDetailsCustomization.Customize);
        services.AddExceptionHandler<DatabaseUnavailableHandler>(); // PostgreSQL down: 503 + Retry-After on every route
        // A misspelt field is refused (400 naming it) rather than silently ignored.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>(
            (kestrel, api) => kestrel.Limits.MaxRequestBodySize = api.Value.MaxRequestBodyBytes);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DispatchSignal>();
        services.AddHostedService<JobDispatcher>();
        services.AddScoped<JobSubmissions>();
        services.AddSingleton<ApiMetrics>();
        services.AddScoped<JobQueries>();
        services.AddScoped<JobListing>();
        services.AddScoped<JobStatistics>();
        services.AddScoped<JobCancellation>();
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
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        return app;
    }
}
