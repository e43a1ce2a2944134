using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace NeoWorker.Persistence;

/// <summary>The one place that says how NeoWorker talks to PostgreSQL (runtime and design time alike).</summary>
internal static class NpgsqlContextOptions
{
    public static DbContextOptionsBuilder Apply(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(WithAutoPrepare(connectionString), npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", NeoWorkerDbContext.Schema))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// The worker and API run the same few statements for every job: prepared on a connection after their second
    /// use, PostgreSQL parses and plans each once per connection instead of once per job. A connection string
    /// that sets <c>Max Auto Prepare</c> itself (0 turns it off, e.g. behind PgBouncer in transaction mode) wins.
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
