using Npgsql;
using NeoWorker.Benchmarks.Messaging;

namespace NeoWorker.Benchmarks.Measurement;

/// <summary>The timestamps NeoWorker stored for a job (table neoworker.jobs).</summary>
internal sealed record JobRow(
    Guid Id,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DispatchedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long? ExecutionTimeMs,
    int AttemptCount);

/// <summary>One stage of a job's life, in milliseconds over the jobs measured.</summary>
internal sealed record BreakdownPart(string Stage, double P50, double P95);

/// <summary>Where a job's time went, from this client's clock and the worker's stored timestamps (same machine, same clock).</summary>
internal sealed record Breakdown(int Jobs, IReadOnlyList<BreakdownPart> Parts);

internal static class JobRows
{
    public static async Task<Dictionary<Guid, JobRow>> LoadAsync(NpgsqlDataSource db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<Guid, JobRow>(ids.Count);
        foreach (var chunk in ids.Chunk(1000))
        {
            await using var command = db.CreateCommand("""
                SELECT id, status, created_at, dispatched_at, started_at, completed_at, execution_time_ms, attempt_count
                FROM neoworker.jobs WHERE id = ANY($1)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = chunk });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new JobRow(
                    reader.GetGuid(0),
                    reader.GetString(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    reader.GetInt32(7));
                rows[row.Id] = row;
            }
        }

        return rows;
    }

    /// <summary>
    /// Splits each job's publish→event latency at the worker's stored timestamps: started_at is
    /// taken when the consumer begins (before it records and claims the job), completed_at when the
    /// enclave's answer is back (before the terminal write and the event publish).
    /// </summary>
    public static Breakdown? Split(IEnumerable<TrackedJob> jobs, IReadOnlyDictionary<Guid, JobRow> rows, bool viaApi)
    {
        var stages = new Dictionary<string, List<double>>();
        var order = new List<string>();
        void Add(string stage, double ms)
        {
            if (!stages.TryGetValue(stage, out var list))
            {
                stages[stage] = list = [];
                order.Add(stage);
            }

            list.Add(ms);
        }

        var count = 0;
        foreach (var job in jobs)
        {
            if (job.Completion is not { } completion || !rows.TryGetValue(job.Id, out var row)
                || row.StartedAt is not { } started || row.CompletedAt is not { } completed || row.AttemptCount != 1)
            {
                continue;
            }

            count++;
            if (viaApi)
            {
                Add("POST → job row written (HTTP, auth, validation, INSERT)", (row.CreatedAt - job.SentAt).TotalMilliseconds);
                Add("row → worker starts (outbox dispatcher, publish, broker, queue wait)", (started - row.CreatedAt).TotalMilliseconds);
            }
            else
            {
                Add("publish → worker starts (broker, queue wait, consume)", (started - job.SentAt).TotalMilliseconds);
            }

            var inWorker = (completed - started).TotalMilliseconds;
            Add("worker start → enclave answer (claiming statement, enclave)", inWorker);
            Add("· in the runner (executionTimeMs: isolate, compile, run)", completion.ExecutionTimeMs);
            Add("· host side (claiming INSERT … ON CONFLICT; pool wait; pipe; JSON)", inWorker - completion.ExecutionTimeMs);
            Add("enclave answer → event received (terminal statement, publish, delivery)", (completion.ReceivedAt - completed).TotalMilliseconds);
            Add("total", job.LatencyMs);
        }

        if (count == 0)
        {
            return null;
        }

        return new Breakdown(count, order.Select(stage =>
        {
            var sorted = stages[stage].Order().ToArray();
            return new BreakdownPart(stage, LatencySummary.Percentile(sorted, 50), LatencySummary.Percentile(sorted, 95));
        }).ToList());
    }
}
