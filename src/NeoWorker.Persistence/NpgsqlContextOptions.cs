using Microsoft.EntityFrameworkCore;

namespace NeoWorker.Persistence;

/// <summary>The one place that says how NeoWorker talks to PostgreSQL (runtime and design time alike).</summary>
internal static class NpgsqlContextOptions
{
    public static DbContextOptionsBuilder Apply(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", NeoWorkerDbContext.Schema))
            .UseSnakeCaseNamingConvention();
}
