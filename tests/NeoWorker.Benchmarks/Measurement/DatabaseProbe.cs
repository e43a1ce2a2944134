using System.Diagnostics;
using Npgsql;

namespace NeoWorker.Benchmarks.Measurement;

/// <summary>Median milliseconds of each statement the worker runs per job, and of a bare round trip.</summary>
internal sealed record DatabaseProbeResult(int Iterations, IReadOnlyDictionary<string, double> MedianMs, double PerJobMs, string? Error);

/// <summary>
/// Times, one after another, the statements the worker's JobStore runs for a job a publisher sent
/// (INSERT … ON CONFLICT DO NOTHING, the claiming UPDATE, the SELECT of the claimed row, each its
/// own transaction, then the terminal write: one transaction with the UPDATE and, when the fleet
/// has evidence on record, the enclave_evidence INSERT … DO NOTHING and the attestation_proofs
/// INSERT), on rows of its own (function_id 'bench-db-probe'), which it deletes afterwards.
/// </summary>
internal static class DatabaseProbe
{
    public const string FunctionId = "bench-db-probe";

    private const string RoundTrip = "SELECT 1 (round trip)";
    private const string Insert = "INSERT job if missing";
    private const string Claim = "UPDATE claim";
    private const string Read = "SELECT claimed row";

    public static async Task<DatabaseProbeResult> RunAsync(NpgsqlDataSource db, int iterations, CancellationToken cancellationToken)
    {
        const string code = "function main(input) { return { result: input.value * 2 }; }";
        const string codeSha = "0000000000000000000000000000000000000000000000000000000000000000";
        var evidence = await EvidenceAsync(db, cancellationToken).ConfigureAwait(false);
        var terminal = evidence is null
            ? "terminal write (BEGIN, UPDATE, COMMIT)"
            : "terminal write (BEGIN, UPDATE, INSERT evidence no-op, INSERT proof, COMMIT)";
        var timings = new Dictionary<string, List<double>> { [RoundTrip] = [], [Insert] = [], [Claim] = [], [Read] = [], [terminal] = [] };
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                var id = Guid.CreateVersion7();
                var now = DateTimeOffset.UtcNow;
                await TimeAsync(timings[RoundTrip], db, null, cancellationToken, "SELECT 1").ConfigureAwait(false);
                await TimeAsync(timings[Insert], db, null, cancellationToken, """
                    INSERT INTO neoworker.jobs (id, function_id, user_id, status, code, code_sha256, input, sealed_secrets,
                                                timeout_ms, logs_truncated, requested_at, created_at, dispatched_at, attempt_count)
                    VALUES ($1, $2, 'bench', 'Queued', $3, $4, $5, NULL, NULL, false, $6, $6, $6, 0)
                    ON CONFLICT (id) DO NOTHING
                    """, id, FunctionId, code, codeSha, $"{{\"value\":{i}}}", now).ConfigureAwait(false);
                await TimeAsync(timings[Claim], db, null, cancellationToken, """
                    UPDATE neoworker.jobs SET status = 'Running', started_at = $2, attempt_count = attempt_count + 1,
                                              worker_id = 'bench-db-probe', lease_expires_at = $3
                    WHERE id = $1 AND (status = 'Queued' OR (status = 'Running' AND lease_expires_at < $2))
                    """, id, now, now.AddSeconds(60)).ConfigureAwait(false);
                await TimeAsync(timings[Read], db, null, cancellationToken, "SELECT * FROM neoworker.jobs WHERE id = $1 LIMIT 2", id).ConfigureAwait(false);

                var started = Stopwatch.GetTimestamp();
                await using (var connection = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                {
                    var completedAt = DateTimeOffset.UtcNow;
                    await ExecuteAsync(connection, cancellationToken, """
                        UPDATE neoworker.jobs SET status = 'Succeeded', result = $2, error_code = NULL, error = NULL, logs = '',
                                                  logs_truncated = false, execution_time_ms = 3, gas_used = 300,
                                                  enclave_id = 'bench-db-probe', completed_at = $3, lease_expires_at = NULL
                        WHERE id = $1 AND status = 'Running' AND worker_id = 'bench-db-probe' AND attempt_count = 1
                        """, id, $"{{\"result\":{i * 2}}}", completedAt).ConfigureAwait(false);
                    if (evidence is { } e)
                    {
                        await ExecuteAsync(connection, cancellationToken, """
                            INSERT INTO neoworker.enclave_evidence (enclave_key_id, enclave_public_key, evidence_type, evidence, simulated, mr_enclave, first_seen_at)
                            VALUES ($1, $2, $3, $4, $5, $6, $7)
                            ON CONFLICT (enclave_key_id) DO NOTHING
                            """, e.KeyId, e.PublicKey, e.Type, e.Evidence, e.Simulated, e.MrEnclave, completedAt).ConfigureAwait(false);
                        await ExecuteAsync(connection, cancellationToken, """
                            INSERT INTO neoworker.attestation_proofs (job_id, statement, signature, enclave_key_id, created_at)
                            VALUES ($1, $2, $3, $4, $5)
                            """, id, new string('s', 420), new string('g', 88), e.KeyId, completedAt).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                timings[terminal].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return new DatabaseProbeResult(0, new Dictionary<string, double>(), 0, ex.Message);
        }
        finally
        {
            // attestation_proofs rows go with their jobs (ON DELETE CASCADE).
            await using var cleanup = db.CreateCommand($"DELETE FROM neoworker.jobs WHERE function_id = '{FunctionId}' AND user_id = 'bench'");
            await cleanup.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var medians = timings.ToDictionary(t => t.Key, t => LatencySummary.Median(t.Value));
        var perJob = medians.Where(m => m.Key != RoundTrip).Sum(m => m.Value);
        return new DatabaseProbeResult(iterations, medians, Math.Round(perJob, 3), null);
    }

    private sealed record EvidenceRow(string KeyId, string PublicKey, string Type, string Evidence, bool Simulated, string? MrEnclave);

    /// <summary>An enclave's evidence already on record (the terminal write re-inserts it as a no-op), or null before proofs exist.</summary>
    private static async Task<EvidenceRow?> EvidenceAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = db.CreateCommand("""
                SELECT enclave_key_id, enclave_public_key, evidence_type, evidence, simulated, mr_enclave
                FROM neoworker.enclave_evidence ORDER BY first_seen_at DESC LIMIT 1
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new EvidenceRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5))
                : null;
        }
        catch (PostgresException)
        {
            return null; // no such table yet
        }
    }

    private static async Task TimeAsync(List<double> timings, NpgsqlDataSource db, NpgsqlConnection? connection, CancellationToken cancellationToken,
        string sql, params object?[] values)
    {
        var started = Stopwatch.GetTimestamp();
        await using var command = connection is null ? db.CreateCommand(sql) : new NpgsqlCommand(sql, connection);
        AddParameters(command, values);
        if (sql.StartsWith("SELECT", StringComparison.Ordinal))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        else
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, CancellationToken cancellationToken, string sql, params object?[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        AddParameters(command, values);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameters(NpgsqlCommand command, object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }

    /// <summary>Transactions committed in this database so far (pg_stat_database; flushed within about a second).</summary>
    public static async Task<long?> CommitsAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = db.CreateCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
            return (long?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
