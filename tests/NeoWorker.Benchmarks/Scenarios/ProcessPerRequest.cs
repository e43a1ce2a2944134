using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using NeoWorker.Benchmarks.Measurement;

namespace NeoWorker.Benchmarks.Scenarios;

/// <summary>
/// The origin design's process per request: every job starts a new <c>node</c>, runs the seed
/// function once and exits; <see cref="BenchmarkOptions.PerRequestParallelism"/> jobs at a time.
/// Two forms: the NeoWorker runner itself (node + isolated-vm, one execute request, stdin closed:
/// what <c>occlum run /bin/node /app/runner.js</c> per request does, minus the enclave), and a bare
/// <c>node</c> running main() in a vm context (scripts/per-request.js: the cheapest possible form).
/// A job's time runs from spawning the process until it has exited (its slot is free again).
/// </summary>
internal static class ProcessPerRequest
{
    public static async Task<ScenarioResult> RunAsync(BenchmarkOptions options, ProcessMonitor monitor, bool runner, CancellationToken cancellationToken)
    {
        var result = runner
            ? new ScenarioResult { Id = "5a", Name = $"Process per request: the runner (node + isolated-vm), {options.PerRequestParallelism} in parallel" }
            : new ScenarioResult { Id = "5b", Name = $"Process per request: bare node (vm context), {options.PerRequestParallelism} in parallel" };

        // Warm the page cache (node, isolated-vm's addon) so the first jobs are not cold starts from disk.
        for (var i = 0; i < 2; i++)
        {
            await RunOneAsync(options, runner, -1 - i, cancellationToken).ConfigureAwait(false);
        }

        var count = options.PerRequestJobs;
        var latencies = new ConcurrentBag<double>();
        var executions = new ConcurrentBag<double>();
        var errors = new ConcurrentQueue<string>();
        var next = -1;
        var cpuBefore = monitor.TakeCpu();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, options.PerRequestParallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var outcome = await RunOneAsync(options, runner, i, cancellationToken).ConfigureAwait(false);
                if (outcome.Error is not null)
                {
                    errors.Enqueue(outcome.Error);
                    continue;
                }

                latencies.Add(outcome.ElapsedMs);
                executions.Add(outcome.ExecutionTimeMs);
            }
        })).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuAfter = monitor.TakeCpu();

        result.Jobs = count;
        result.Completed = latencies.Count;
        result.Correct = latencies.Count;
        result.DurationSeconds = Math.Round(seconds, 2);
        result.JobsPerSecond = Math.Round(latencies.Count / seconds, 2);
        result.LatencyMs = LatencySummary.From(latencies);
        result.ExecutionTimeMs = LatencySummary.From(executions);
        result.Cpu = ProcessMonitor.Usage(cpuBefore, cpuAfter, latencies.Count);
        if (errors.TryPeek(out var first))
        {
            result.Errors.Add($"{errors.Count} of {count} jobs failed; first: {first}");
        }

        result.Notes = runner
            ? "node --no-node-snapshot src/index.js, one execute request, stdin closed; latency spawn → exit"
            : "node scripts/per-request.js (no isolated-vm, no --no-node-snapshot); latency spawn → exit";
        return result;
    }

    private sealed record Outcome(double ElapsedMs, double ExecutionTimeMs, string? Error);

    private static async Task<Outcome> RunOneAsync(BenchmarkOptions options, bool runner, int index, CancellationToken cancellationToken)
    {
        var value = Math.Abs(index);
        var input = Functions.SeedInput(value);
        var expected = Functions.SeedResult(value);
        var started = Stopwatch.GetTimestamp();
        using var process = new Process
        {
            StartInfo = runner ? RunnerProcesses.Runner(options) : RunnerProcesses.Script(options, "per-request.js", false),
        };
        try
        {
            process.Start();
            process.ErrorDataReceived += static (_, _) => { };
            process.BeginErrorReadLine();
            string? result;
            double executionTimeMs;
            if (runner)
            {
                using (var ready = await RunnerProcesses.ReadMessageAsync(process, "ready", cancellationToken).ConfigureAwait(false))
                {
                    if (ready is null)
                    {
                        return new Outcome(0, 0, "the runner ended before it was ready");
                    }
                }

                await process.StandardInput.WriteLineAsync(RunnerProcesses.ExecuteLine("job", Functions.Seed, input, "bench-per-request").AsMemory(),
                    cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
                using var answer = await RunnerProcesses.ReadMessageAsync(process, "result", cancellationToken).ConfigureAwait(false);
                result = answer?.RootElement.GetProperty("result").GetString();
                executionTimeMs = answer?.RootElement.GetProperty("executionTimeMs").GetDouble() ?? 0;
            }
            else
            {
                await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new { code = Functions.Seed, input }).AsMemory(), cancellationToken)
                    .ConfigureAwait(false);
                process.StandardInput.Close();
                var line = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                using var answer = line is null ? null : JsonDocument.Parse(line);
                result = answer?.RootElement.GetProperty("result").GetString();
                executionTimeMs = answer?.RootElement.GetProperty("executionTimeMs").GetDouble() ?? 0;
            }

            await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return result == expected
                ? new Outcome(elapsed, executionTimeMs, null)
                : new Outcome(elapsed, executionTimeMs, $"result {result ?? "none"} (expected {expected}), exit code {process.ExitCode}");
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // never started, or already gone
            }

            return new Outcome(0, 0, ex.Message);
        }
    }
}
