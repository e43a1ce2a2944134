using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NeoWorker.Contracts;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// What must hold after a stream met a fault, whatever the fault: every accepted job is in exactly one terminal
/// state in PostgreSQL, with the right outcome, and has at least one completion event, all of them equal to the
/// row; and no function ran twice.
/// </summary>
/// <remarks>
/// "Ran twice", and how it is counted. Job code cannot reach anything outside its isolate, so an execution is seen
/// only through its output, and the only way out of an enclave is the worker. The worker logs one line per
/// execution that ran to completion in an enclave (JobExecuted), right when the enclave answers and before it
/// stores the outcome; the test reads those lines from the output of every worker process of the scenario,
/// including killed ones (a killed process's lines already written are still read to the end). That count is
/// independent of the jobs table. A job must have exactly one such line, with one exception that cannot be
/// avoided: the worker that ran it was killed (SIGKILL) before it stored the output, so the output died with it,
/// no row, event or client ever saw it, and the job had to run again. The test accepts an earlier execution only
/// in that case (killed worker, no "finished" line for the job in its output) and reports how many there were.
/// A second execution after an output had been stored or published, or after a graceful shutdown, a broker or
/// database outage or an enclave crash, fails the test. The function's random nonce backs this from the other
/// side: the row and every event of a job carry the same result, so only one execution's output was ever kept.
/// What this cannot see: an execution whose worker was killed between the enclave's answer and writing the
/// JobExecuted line (microseconds); by construction nothing else saw it either.
/// </remarks>
internal static class StreamCheck
{
    public static async Task<FaultFigures> VerifyAsync(FaultFixture fixture, string fault, JobStream stream, FaultWindow window,
        IReadOnlyList<WorkerProcess> workers, DateTime startedAt, TimeSpan timeout)
    {
        var jobs = stream.Accepted.ToDictionary(j => j.JobId);
        var ids = jobs.Keys.ToList();
        List<Job> rows;
        try
        {
            rows = await WaitForOutcomesAsync(fixture, stream, ids, workers, timeout);
        }
        finally
        {
            KeepLogs(stream, workers);
        }

        var failures = new List<string>();
        await using (var db = fixture.CreateDb())
        {
            var rowsOfStream = await db.Jobs.CountAsync(j => j.FunctionId == stream.FunctionId);
            if (rowsOfStream != jobs.Count)
            {
                failures.Add($"{rowsOfStream} job rows carry the stream's functionId, {jobs.Count} jobs were accepted (a retry made a second job?)");
            }
        }

        foreach (var row in rows)
        {
            var job = jobs[row.Id];
            if (Problem(job, row) is { } problem)
            {
                failures.Add($"job {row.Id} ({(job.ViaApi ? "API" : "direct")}): {problem}");
            }

            var events = fixture.Events.EventsFor(row.Id);
            if (events.Any(e => e.Status != row.Status.ToString() || e.Result != row.Result || e.ErrorCode != row.ErrorCode))
            {
                failures.Add($"job {row.Id}: its {events.Count} events do not all carry the stored outcome {row.Status} {row.Result}");
            }
        }

        var executions = WorkerLogs.Executions(workers);
        var stored = workers.Select(WorkerLogs.Stored).ToList();
        var duplicated = 0;
        var lostOutputs = 0;
        foreach (var id in ids)
        {
            var ranOn = executions[id].ToList();
            if (ranOn.Count == 0)
            {
                failures.Add($"job {id}: no worker logged an execution of it, yet it has an outcome");
                continue;
            }

            // Every execution before the last must have died with a killed worker before its output was stored.
            var earlier = ranOn.Take(ranOn.Count - 1).ToList();
            if (earlier.All(w => workers[w].WasKilled && !stored[w].Contains(id)))
            {
                lostOutputs += earlier.Count;
            }
            else
            {
                duplicated++;
                failures.Add($"job {id} ran to completion {ranOn.Count} times (workers {string.Join(", ", ranOn)})");
            }
        }

        var arrivals = fixture.Events.Arrivals.Where(a => jobs.ContainsKey(a.JobId)).Select(a => a.At).Order().ToList();
        // Interrupted: running when the fault began and not finished (stored) before it ended. Recovery, from the rows
        // (the system's view; subscribers see it later by the time their own broker connection takes to come back):
        // until the last interrupted job was stored; when none was interrupted, until the next job was.
        var completedAt = rows.ToDictionary(r => r.Id, r => r.CompletedAt?.UtcDateTime ?? DateTime.MaxValue);
        var interrupted = window.RunningAtStart.Where(id => completedAt.GetValueOrDefault(id, DateTime.MaxValue) > window.EndedAt).ToList();
        var recoveredAt = interrupted.Count > 0
            ? interrupted.Max(id => completedAt.GetValueOrDefault(id, DateTime.MaxValue))
            : completedAt.Values.Where(at => at >= window.EndedAt).DefaultIfEmpty(window.EndedAt).Min();
        var longestGap = arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).DefaultIfEmpty(TimeSpan.Zero).Max();
        var figures = new FaultFigures(fault, jobs.Count, stream.Retries, Lost: 0, duplicated, lostOutputs, interrupted.Count,
            recoveredAt > window.EndedAt ? recoveredAt - window.EndedAt : TimeSpan.Zero, longestGap, DateTime.UtcNow - startedAt);
        fixture.Report.Add(figures);

        Assert.True(failures.Count == 0,
            $"{fault}: {failures.Count} problems, the first ones:\n{string.Join('\n', failures.Take(20))}\n\n{Tails(workers)}");
        return figures;
    }

    private static string? Problem(StreamJob job, Job row)
    {
        if (job.Fails)
        {
            return row.Status == JobStatus.Failed && row.ErrorCode == ErrorCodes.ScriptError && row.Error?.Contains(job.Tag, StringComparison.Ordinal) == true
                ? null
                : $"expected Failed/ScriptError naming its tag, got {row.Status}/{row.ErrorCode}: {row.Error}";
        }

        if (row.Status != JobStatus.Succeeded)
        {
            return $"expected Succeeded, got {row.Status}/{row.ErrorCode}: {row.Error}";
        }

        var result = JsonNode.Parse(row.Result ?? "null");
        return (string?)result?["tag"] == job.Tag && (int?)result?["doubled"] == job.Value * 2 && result?["nonce"] is not null
            ? null
            : $"wrong result {row.Result} (tag {job.Tag}, value {job.Value})";
    }

    /// <summary>Waits until every job has a terminal row and an event; on timeout, fails naming what is missing.</summary>
    private static async Task<List<Job>> WaitForOutcomesAsync(FaultFixture fixture, JobStream stream, List<Guid> ids,
        IReadOnlyList<WorkerProcess> workers, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            List<Job> rows;
            try
            {
                await using var db = fixture.CreateDb();
                rows = await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id)).ToListAsync();
            }
            catch (Exception ex) when (Persistence.DatabaseFaults.IsUnavailable(ex) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500); // a connection from before a restart
                continue;
            }

            var open = rows.Where(r => !r.Status.IsTerminal()).ToList();
            var missingRows = ids.Count - rows.Count;
            var withoutEvent = ids.Where(id => !fixture.Events.HasEvent(id)).ToList();
            if (open.Count == 0 && missingRows == 0 && withoutEvent.Count == 0)
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                var report = new StringBuilder()
                    .AppendLine($"After {timeout}: {ids.Count} jobs accepted, {missingRows} without a row, {open.Count} not finished, {withoutEvent.Count} without an event (lost).")
                    .AppendLine("By state: " + string.Join(", ", rows.GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}")));
                foreach (var r in open.Take(5))
                {
                    report.AppendLine($"  {r.Id}: {r.Status}, attempt {r.AttemptCount}, worker {r.WorkerId}, lease {r.LeaseExpiresAt:O}, dispatched {r.DispatchedAt:O}");
                }

                foreach (var id in withoutEvent.Take(5))
                {
                    report.AppendLine($"  no event: {id} ({rows.FirstOrDefault(r => r.Id == id)?.Status.ToString() ?? "no row"})");
                }

                Assert.Fail(report.AppendLine().Append(Tails(workers)).ToString());
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Each worker's whole output, in .local/faults/, for a look after the run.</summary>
    private static void KeepLogs(JobStream stream, IReadOnlyList<WorkerProcess> workers)
    {
        var directory = Path.Combine(RepositoryPaths.Root, ".local", "faults");
        Directory.CreateDirectory(directory);
        for (var i = 0; i < workers.Count; i++)
        {
            File.WriteAllLines(Path.Combine(directory, $"{stream.FunctionId}-worker{i}.log"), workers[i].OutputLines);
        }
    }

    private static string Tails(IReadOnlyList<WorkerProcess> workers) =>
        string.Join("\n\n", workers.Select((w, i) => $"---- worker {i} (pid {w.ProcessId}{(w.WasKilled ? ", killed" : "")}), last lines ----\n{WorkerLogs.Tail(w)}"));
}
