using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeoWorker.Persistence.Health;

namespace NeoWorker.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>NeoWorker's DbContext (pooled) and job store on <c>ConnectionStrings:Postgres</c>.</summary>
    public static IServiceCollection AddNeoWorkerPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set (environment: ConnectionStrings__{ConnectionStringName}); "
                + "ops/up.sh writes it to .local/env.");
        }

        services.AddDbContextPool<NeoWorkerDbContext>(options => NpgsqlContextOptions.Apply(options, connectionString));
        services.AddScoped<JobStore>();
        services.AddSingleton<StoredEvidence>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return services;
    }
}
