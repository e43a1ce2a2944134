using Microsoft.OpenApi;
using NeoWorker.Api.Authentication;

namespace NeoWorker.Api.Observability;

public static class OpenApiExtensions
{
    /// <summary>The OpenAPI document at <c>/openapi/v1.json</c>, declaring the API key (header X-Api-Key) every /api route needs.</summary>
    public static IServiceCollection AddNeoWorkerOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "NeoWorker API",
                Version = "v1",
                Description = "Enqueue JavaScript functions for enclave execution, read jobs and their attestation proofs, verify proofs.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyDefaults.HeaderName,
                Description = "An API key made by ops/apikey.sh (tenant or ops).",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, document)] = [] });
            return Task.CompletedTask;
        }));
}
