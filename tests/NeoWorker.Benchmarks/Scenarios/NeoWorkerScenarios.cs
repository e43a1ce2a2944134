using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MassTransit;
using NeoWorker.Benchmarks.Measurement;
using NeoWorker.Benchmarks.Messaging;
using NeoWorker.Contracts;
using Npgsql;

namespace NeoWorker.Benchmarks.Scenarios;

/// <summary>
/// The scenarios that go through the broker: the ceiling, NeoWorker by direct publish and through
/// the API, fixed load, the CPU-heavy and large-input functions, and the soak. Each job is sent,
/// tracked by JobId, and counted done when its completion event arrives on the benchmark's queue.
/// </summary>
internal sealed class NeoWorkerScenarios(
    BenchmarkOptions options,
    BenchmarkBus bus,
    ProcessMonitor monitor,
    NpgsqlDataSource db,
    HttpClient api)
{
    private const string UserId = "bench";
    private int _nextValue;
    private int _rateLimited;

    private delegate Task<TrackedJob> Submit(int index, JobBatch batch, CancellationToken cancellationToken);

    private CompletionTracker Tracker => bus.Tracker;

    // ------------------------------------------------------------------ 1. ceiling

    public async Task<ScenarioResult> CeilingAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult { Id = "1", Name = "Ceiling: MassTransit no-op round trip" };
        await WarmUpAsync(result, options.CeilingWarmupJobs, options.PublishConcurrency, PublishCeilingAsync, cancellationToken).ConfigureAwait(false);
        await MeasureClosedAsync(result, options.CeilingJobs, options.PublishConcurrency, PublishCeilingAsync, neoWorker: false, viaApi: false,
            cancellationToken).ConfigureAwait(false);
        result.Notes = $"private command → no-op consumer (quorum queue, {options.PublishConcurrency} publishes in flight) → private event";
        return result;
    }

    /// <summary>The ceiling at a fixed rate: the broker's own publish→event latency, the floor under scenario 4's.</summary>
    public async Task<ScenarioResult> CeilingAtRateAsync(double rate, int seconds, CancellationToken cancellationToken)
    {
        var result = await FixedLoadAsync("1b", "Ceiling at the rate of (4)", rate, seconds, PublishCeilingAsync, neoWorker: false,
            cancellationToken).ConfigureAwait(false);
        result.Notes = $"the no-op round trip at {rate:0.#} jobs/s for {seconds} s (open loop): the broker's share of (4)'s latency";
        return result;
    }

    private Task<TrackedJob> PublishCeilingAsync(int index, JobBatch batch, CancellationToken cancellationToken) =>
        PublishCeilingAsync(batch, Stopwatch.GetTimestamp(), cancellationToken);

    private async Task<TrackedJob> PublishCeilingAsync(JobBatch batch, long sent, CancellationToken cancellationToken)
    {
        var value = Interlocked.Increment(ref _nextValue);
        var id = Guid.NewGuid();
        var sentAt = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(sent);
        await bus.Bus.Publish(new CeilingCommand(bus.RunId, id, Functions.Seed, Functions.SeedInput(value), "bench-ceiling", UserId, sentAt),
            cancellationToken).ConfigureAwait(false);
        return Tracker.Track(id, batch, sent, sentAt, null);
    }

    // ------------------------------------------------------------------ 2. direct publish

    public async Task<ScenarioResult> DirectAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult { Id = "2", Name = "NeoWorker, direct publish (seed function)" };
        await WarmUpAsync(result, options.WarmupJobs, options.PublishConcurrency, PublishSeedAsync, cancellationToken).ConfigureAwait(false);
        await MeasureClosedAsync(result, options.Jobs, options.PublishConcurrency, PublishSeedAsync, neoWorker: true, viaApi: false,
            cancellationToken).ConfigureAwait(false);
        result.Notes = $"ExecuteJavaScript published ({options.PublishConcurrency} in flight) → JavaScriptExecutionCompleted; distinct inputs, results checked";
        return result;
    }

    private Task<TrackedJob> PublishSeedAsync(int index, JobBatch batch, CancellationToken cancellationToken)
    {
        var value = Interlocked.Increment(ref _nextValue);
        return PublishAsync(batch, "bench-seed", Functions.Seed, Functions.SeedInput(value), Functions.SeedResult(value),
            Stopwatch.GetTimestamp(), cancellationToken);
    }

    private async Task<TrackedJob> PublishAsync(JobBatch batch, string functionId, string code, string input, string? expected, long sent,
        CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        // For fixed load, sent is when the job was due (possibly a moment ago): latency counts from then.
        var sentAt = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(sent);
        await bus.Bus.Publish(new ExecuteJavaScript(id, code, input, null, functionId, UserId, null, sentAt), cancellationToken).ConfigureAwait(false);
        return Tracker.Track(id, batch, sent, sentAt, expected);
    }

    // ------------------------------------------------------------------ 3. through the API

    public async Task<ScenarioResult> ApiAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult { Id = "3", Name = "NeoWorker through the API (HTTP POST)" };
        await WarmUpAsync(result, options.WarmupJobs, options.ApiConcurrency, PostSeedAsync, cancellationToken).ConfigureAwait(false);
        await MeasureClosedAsync(result, options.Jobs, options.ApiConcurrency, PostSeedAsync, neoWorker: true, viaApi: true,
            cancellationToken).ConfigureAwait(false);
        result.Notes = $"POST /api/v1/functions/execute-javascript ({options.ApiConcurrency} in flight) → 202 → outbox → worker → event; latency POST → event"
            + (_rateLimited > 0 ? $"; {_rateLimited} POSTs were refused 429 by the key's rate limit and retried after Retry-After" : "");
        return result;
    }

    private async Task<TrackedJob> PostSeedAsync(int index, JobBatch batch, CancellationToken cancellationToken)
    {
        var value = Interlocked.Increment(ref _nextValue);
        var sent = Stopwatch.GetTimestamp();
        var sentAt = DateTimeOffset.UtcNow;
        HttpResponseMessage response;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/functions/execute-javascript")
            {
                // The seed's body without secrets, so the job is the same as the direct-publish one.
                Content = JsonContent.Create(new { code = Functions.Seed, input = Functions.SeedInput(value), functionId = "bench-seed" }),
            };
            request.Headers.Add("X-Api-Key", options.ApiKey);
            response = await api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                break;
            }

            // Over the key's rate limit: a well-behaved client waits as told and tries again (counted in the report).
            Interlocked.Increment(ref _rateLimited);
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }

        using var _ = response;
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"POST answered {(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
        }

        var accepted = await response.Content.ReadFromJsonAsync<Accepted>(cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("202 without a body");
        return Tracker.Track(accepted.JobId, batch, sent, sentAt, Functions.SeedResult(value));
    }

    private sealed record Accepted(Guid JobId);

    // ------------------------------------------------------------------ 4. fixed load, and the soak

    /// <summary>NeoWorker (direct publish, seed function) at a fixed rate.</summary>
    public async Task<ScenarioResult> FixedLoadAsync(string id, string name, double rate, int seconds, CancellationToken cancellationToken)
    {
        var result = await FixedLoadAsync(id, name, rate, seconds, (batch, due, ct) =>
        {
            var value = Interlocked.Increment(ref _nextValue);
            return PublishAsync(batch, "bench-seed", Functions.Seed, Functions.SeedInput(value), Functions.SeedResult(value), due, ct);
        }, neoWorker: true, cancellationToken).ConfigureAwait(false);
        result.Notes = $"{rate:0.#} jobs/s offered for {seconds} s (open loop); latency from when each job was due";
        return result;
    }

    /// <summary>Open loop: jobs are published when due, whatever the earlier ones are doing; latency counts from when each was due.</summary>
    private async Task<ScenarioResult> FixedLoadAsync(string id, string name, double rate, int seconds,
        Func<JobBatch, long, CancellationToken, Task<TrackedJob>> publish, bool neoWorker, CancellationToken cancellationToken)
    {
        var result = new ScenarioResult { Id = id, Name = name, OfferedRate = Math.Round(rate, 1) };
        var count = Math.Max(1, (int)Math.Round(rate * seconds));
        var batch = new JobBatch(name);
        var errors = new ConcurrentQueue<string>();
        var publishes = new List<Task>(count);
        var cpuBefore = monitor.TakeCpu();
        using var inFlight = new SemaphoreSlim(options.PublishConcurrency);
        var interval = Stopwatch.Frequency / rate;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = started + (long)(i * interval);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
            }

            await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            publishes.Add(PublishDueAsync(due));
        }

        await Task.WhenAll(publishes).ConfigureAwait(false);
        batch.Seal(batch.Jobs.Count);
        var complete = await batch.WaitAsync(options.StallTimeout, cancellationToken).ConfigureAwait(false);
        var cpuAfter = monitor.TakeCpu();
        await SummarizeAsync(result, batch, started, complete, neoWorker, viaApi: false, cancellationToken).ConfigureAwait(false);
        result.Cpu = ProcessMonitor.Usage(cpuBefore, cpuAfter, result.Completed);
        AddSubmitErrors(result, errors, count);
        return result;

        async Task PublishDueAsync(long due)
        {
            try
            {
                await publish(batch, due, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Enqueue(ex.Message);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    // ------------------------------------------------------------------ 7. where time goes: CPU-heavy and large input

    public async Task<ScenarioResult> CpuHeavyAsync(double targetMs, CancellationToken cancellationToken)
    {
        var result = new ScenarioResult { Id = "7a", Name = $"CPU-heavy function (~{targetMs:0} ms of arithmetic), direct publish" };

        // Calibrate on the worker itself: gasUsed is the isolate's CPU time in µs.
        const long probeIterations = 2_000_000;
        var calibration = new ScenarioResult { Id = "7a-calibration", Name = "calibration" };
        await MeasureClosedAsync(calibration, 3, 1, (i, batch, ct) => PublishAsync(batch, "bench-cpu", Functions.CpuHeavy,
            Functions.CpuHeavyInput(i, probeIterations), Functions.CpuHeavyResult(i, probeIterations), Stopwatch.GetTimestamp(), ct),
            neoWorker: false, viaApi: false, cancellationToken).ConfigureAwait(false);
        if (!calibration.Ok || calibration.GasUsed is not { P50: > 0 } gas)
        {
            result.Errors.AddRange(calibration.Errors.Select(e => $"calibration: {e}"));
            result.Errors.Add("calibration gave no gasUsed");
            return result;
        }

        var iterations = Math.Clamp((long)(probeIterations * targetMs * 1000 / gas.P50), 10_000, 1_000_000_000);
        var expected = new string[options.CpuHeavyJobs];
        Parallel.For(0, expected.Length, i => expected[i] = Functions.CpuHeavyResult(i, iterations + i));

        await MeasureClosedAsync(result, options.CpuHeavyJobs, options.PublishConcurrency, (i, batch, ct) => PublishAsync(batch, "bench-cpu",
            Functions.CpuHeavy, Functions.CpuHeavyInput(i, iterations + i), expected[i], Stopwatch.GetTimestamp(), ct),
            neoWorker: true, viaApi: false, cancellationToken).ConfigureAwait(false);
        result.Notes = $"{iterations:N0} loop iterations (calibrated: {probeIterations:N0} took {gas.P50 / 1000:0.0} ms of isolate CPU)";
        return result;
    }

    public async Task<ScenarioResult> LargeInputAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult { Id = "7b", Name = "Large input (1 MB JSON), direct publish" };
        await MeasureClosedAsync(result, options.LargeInputJobs, 8, (i, batch, ct) =>
        {
            var (input, expected) = Functions.LargeInputFor(i);
            return PublishAsync(batch, "bench-large", Functions.LargeInput, input, expected, Stopwatch.GetTimestamp(), ct);
        }, neoWorker: true, viaApi: false, cancellationToken).ConfigureAwait(false);
        result.Notes = $"{Functions.LargeInputBytes:N0}-byte input (an array of numbers summed by main); 8 publishes in flight";
        return result;
    }

    // ------------------------------------------------------------------ shared

    private async Task WarmUpAsync(ScenarioResult result, int count, int concurrency, Submit submit, CancellationToken cancellationToken)
    {
        var warmUp = new ScenarioResult { Id = result.Id + "-warm-up", Name = "warm-up" };
        await MeasureClosedAsync(warmUp, count, concurrency, submit, neoWorker: false, viaApi: false, cancellationToken).ConfigureAwait(false);
        result.Errors.AddRange(warmUp.Errors.Select(e => $"warm-up: {e}"));
    }

    /// <summary>Closed loop: sends <paramref name="count"/> jobs, at most <paramref name="concurrency"/> sends at once, and waits for every completion.</summary>
    private async Task MeasureClosedAsync(ScenarioResult result, int count, int concurrency, Submit submit, bool neoWorker, bool viaApi,
        CancellationToken cancellationToken)
    {
        var batch = new JobBatch(result.Name);
        var submitMs = Enumerable.Repeat(double.NaN, count).ToArray();
        var errors = new ConcurrentQueue<string>();
        var cpuBefore = monitor.TakeCpu();
        var started = Stopwatch.GetTimestamp();
        using (var gate = new SemaphoreSlim(concurrency))
        {
            var sends = new List<Task>(count);
            for (var i = 0; i < count && errors.Count < 20; i++)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                sends.Add(SendAsync(i, gate));
            }

            await Task.WhenAll(sends).ConfigureAwait(false);
        }

        batch.Seal(batch.Jobs.Count);
        var complete = await batch.WaitAsync(options.StallTimeout, cancellationToken).ConfigureAwait(false);
        var cpuAfter = monitor.TakeCpu();
        await SummarizeAsync(result, batch, started, complete, neoWorker, viaApi, cancellationToken).ConfigureAwait(false);
        result.SubmitMs = LatencySummary.From(submitMs);
        result.Cpu = ProcessMonitor.Usage(cpuBefore, cpuAfter, result.Completed);
        AddSubmitErrors(result, errors, count);

        async Task SendAsync(int index, SemaphoreSlim gate)
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                await submit(index, batch, cancellationToken).ConfigureAwait(false);
                submitMs[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Enqueue(ex.Message);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private static void AddSubmitErrors(ScenarioResult result, ConcurrentQueue<string> errors, int count)
    {
        if (errors.TryPeek(out var first))
        {
            result.Errors.Add($"{errors.Count} of {count} sends failed; first: {first}");
        }
    }

    private async Task SummarizeAsync(ScenarioResult result, JobBatch batch, long started, bool complete, bool neoWorker, bool viaApi,
        CancellationToken cancellationToken)
    {
        var jobs = batch.Jobs.ToList();
        var done = jobs.Where(j => j.Completion is not null).ToList();
        result.Jobs = jobs.Count;
        result.Completed = done.Count;
        result.Correct = done.Count(j => j.IsCorrect);
        result.WithProof = done.Count(j => j.Completion!.HasProof);
        if (done.Count > 0)
        {
            var last = done.Max(j => j.Completion!.ReceivedTimestamp);
            var seconds = Stopwatch.GetElapsedTime(started, last).TotalSeconds;
            result.DurationSeconds = Math.Round(seconds, 2);
            result.JobsPerSecond = Math.Round(done.Count / seconds, 1);
            result.LatencyMs = LatencySummary.From(done.Select(j => j.LatencyMs));
            result.ExecutionTimeMs = LatencySummary.From(done.Select(j => (double)j.Completion!.ExecutionTimeMs));
            result.GasUsed = LatencySummary.From(done.Select(j => (double)j.Completion!.GasUsed));
        }

        if (neoWorker && done.Count > 0)
        {
            var rows = await JobRows.LoadAsync(db, done.Select(j => j.Id).ToList(), cancellationToken).ConfigureAwait(false);
            result.Breakdown = JobRows.Split(done, rows, viaApi);
        }

        if (!complete)
        {
            result.Errors.Add($"{jobs.Count - done.Count} of {jobs.Count} jobs got no completion event (none arrived for {options.StallTimeout.TotalSeconds:0} s)");
        }

        var wrong = done.Where(j => !j.IsCorrect).ToList();
        if (wrong.Count > 0)
        {
            var c = wrong[0].Completion!;
            result.Errors.Add($"{wrong.Count} jobs ended wrongly, e.g. {wrong[0].Id}: {c.Status} {c.ErrorCode} {c.Error} result {c.Result} (expected {wrong[0].ExpectedResult})");
        }

        Tracker.Forget(batch);
    }
}
