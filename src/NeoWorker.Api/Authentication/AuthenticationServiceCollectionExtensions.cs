using Microsoft.AspNetCore.Authentication;

namespace NeoWorker.Api.Authentication;

public static class AuthenticationServiceCollectionExtensions
{
    /// <summary>API keys (hashed in PostgreSQL) as the only scheme; every /api route requires one.</summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorization();
        return services;
    }
}
