using System.Net.Sockets;
using Npgsql;

namespace NeoWorker.Persistence;

/// <summary>Tells an unavailable database (worth a retry, a 503) from an error in what was asked of it.</summary>
public static class DatabaseFaults
{
    /// <summary>True when the exception, or one it wraps (EF Core wraps them), says PostgreSQL could not be reached or went away.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    // 08: connection exception; 53: insufficient resources; 57P01-57P03: shutting down, crashed, starting up.
                    return postgres.IsTransient || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("53", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P0", StringComparison.Ordinal);
                case NpgsqlException npgsql when npgsql.IsTransient:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }
}
