using System.Diagnostics;
using Npgsql;

namespace NeoWorker.Benchmarks.Measurement;

/// <summary>Median milliseconds of each statement the worker runs per job, and of a bare round trip.</summary>
internal sealed record DatabaseProbeResult(int Iterations, IReadOnlyDictionary<string, double> MedianMs, double PerJobMs, string? Error);

/// <summary>
/// Times, one after another, the statements the worker's JobStore runs for a job a publisher sent: the claim
/// (INSERT … ON CONFLICT DO UPDATE … RETURNING: the new job recorded already Running) and the terminal statement
/// (the UPDATE and, when the fleet has evidence on record, the attestation_proofs INSERT reading its row, one
/// statement), each its own transaction, on rows of its own (function_id 'bench-db-probe'), deleted afterwards.
/// </summary>
internal static class DatabaseProbe
{
    public const string FunctionId = "bench-db-probe";

    private const string RoundTrip = "SELECT 1 (round trip)";
    private const string Claim = "claim: INSERT … ON CONFLICT DO UPDATE … RETURNING";

    public static async Task<DatabaseProbeResult> RunAsync(NpgsqlDataSource db, int iterations, CancellationToken cancellationToken)
    {
        const string code = "function main(input) { return { result: input.value * 2 }; }";
        const string codeSha = "0000000000000000000000000000000000000000000000000000000000000000";
        var evidence = await EvidenceAsync(db, cancellationToken).ConfigureAwait(false);
        var terminal = evidence is null
            ? "terminal statement: UPDATE"
            : "terminal statement: UPDATE and proof INSERT (one statement)";
        var timings = new Dictionary<string, List<double>> { [RoundTrip] = [], [Claim] = [], [terminal] = [] };
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                var id = Guid.CreateVersion7();
                var now = DateTimeOffset.UtcNow;
                await TimeAsync(timings[RoundTrip], db, cancellationToken, "SELECT 1").ConfigureAwait(false);
                await TimeAsync(timings[Claim], db, cancellationToken, """
                    INSERT INTO neoworker.jobs AS j (id, function_id, user_id, status, code, code_sha256, input, sealed_secrets,
                                                     sealed_named_secrets, timeout_ms, logs_truncated, requested_at, created_at, dispatched_at,
                                                     attempt_count, correlation_id, started_at, worker_id, lease_expires_at)
                    VALUES ($1, $2, 'bench', 'Running', $3, $4, $5, NULL, NULL, NULL, false, $6, $6, $6, 1, NULL, $6, 'bench-db-probe', $7)
                    ON CONFLICT (id) DO UPDATE
                        SET status = 'Running', started_at = excluded.started_at, attempt_count = j.attempt_count + 1,
                            worker_id = excluded.worker_id, lease_expires_at = excluded.lease_expires_at
                        WHERE j.status = 'Queued' OR (j.status = 'Running' AND j.lease_expires_at < excluded.started_at)
                    RETURNING j.*
                    """, id, FunctionId, code, codeSha, $"{{\"value\":{i}}}", now, now.AddSeconds(60)).ConfigureAwait(false);

                var completedAt = DateTimeOffset.UtcNow;
                const string finish = """
                    UPDATE neoworker.jobs SET status = 'Succeeded', result = $2, error_code = NULL, error = NULL, logs = '',
                                              logs_truncated = false, execution_time_ms = 3, gas_used = 300,
                                              enclave_id = 'bench-db-probe', completed_at = $3, lease_expires_at = NULL
                    WHERE id = $1 AND status = 'Running' AND worker_id = 'bench-db-probe' AND attempt_count = 1
                    """;
                if (evidence is { } e)
                {
                    await TimeAsync(timings[terminal], db, cancellationToken, $"""
                        WITH finished AS ({finish} RETURNING id)
                        INSERT INTO neoworker.attestation_proofs (job_id, statement, signature, enclave_key_id, created_at)
                        SELECT id, $4, $5, $6, $3 FROM finished
                        """, id, $"{{\"result\":{i * 2}}}", completedAt, new string('s', 420), new string('g', 88), e.KeyId).ConfigureAwait(false);
                }
                else
                {
                    await TimeAsync(timings[terminal], db, cancellationToken, finish, id, $"{{\"result\":{i * 2}}}", completedAt).ConfigureAwait(false);
                }
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

    private sealed record EvidenceRow(string KeyId);

    /// <summary>An enclave's evidence already on record (the proof rows reference it), or null before proofs exist.</summary>
    private static async Task<EvidenceRow?> EvidenceAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = db.CreateCommand("SELECT enclave_key_id FROM neoworker.enclave_evidence ORDER BY first_seen_at DESC LIMIT 1");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string keyId ? new EvidenceRow(keyId) : null;
        }
        catch (PostgresException)
        {
            return null; // no such table yet
        }
    }

    private static async Task TimeAsync(List<double> timings, NpgsqlDataSource db, CancellationToken cancellationToken,
        string sql, params object?[] values)
    {
        var started = Stopwatch.GetTimestamp();
        await using var command = db.CreateCommand(sql);
        AddParameters(command, values);
        if (sql.StartsWith("SELECT", StringComparison.Ordinal) || sql.Contains("RETURNING j.*", StringComparison.Ordinal))
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
