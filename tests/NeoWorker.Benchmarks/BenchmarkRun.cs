using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NeoWorker.Benchmarks.Measurement;
using NeoWorker.Benchmarks.Messaging;
using NeoWorker.Benchmarks.Reporting;
using NeoWorker.Benchmarks.Scenarios;
using Npgsql;

namespace NeoWorker.Benchmarks;

/// <summary>
/// The whole run, in the order of issue 9: ceiling, direct publish, API, fixed load, process per
/// request, the CPU-heavy and large-input functions, the probes, then the soak if asked for.
/// Progress goes to stderr; the Markdown report to stdout; JSON and Markdown to the output directory.
/// </summary>
internal sealed class BenchmarkRun(BenchmarkOptions options, string command)
{
    private static readonly TextWriter Log = Console.Error;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        await using var monitor = new ProcessMonitor(options);
        if (monitor.WorkerPid is null)
        {
            Log.WriteLine($"warning: no running worker in {options.WorkerPidFile}; start it with ops/up.sh (NeoWorker scenarios will fail)");
        }

        monitor.StartSampling(TimeSpan.FromSeconds(1));
        var enclaves = monitor.EnclaveCount();
        await using var db = NpgsqlDataSource.Create(options.PostgresConnectionString);
        var machine = await MachineInfo.CollectAsync(options, db, enclaves, cancellationToken).ConfigureAwait(false);
        var report = new BenchmarkReport
        {
            StartedAt = startedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            Mode = options.Quick ? "--quick" : options.SoakSeconds > 0 ? $"full, --soak {options.SoakSeconds}" : "full",
            Command = command,
            Machine = machine,
        };
        Log.WriteLine($"[bench] {machine.Cores} cores, worker with {enclaves} enclaves, load average {machine.LoadAverageAtStart}; " +
            $"{(options.Quick ? "quick" : "full")} run");

        await using (var bus = await BenchmarkBus.StartAsync(options, Math.Max(1, enclaves), cancellationToken).ConfigureAwait(false))
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.ApiConcurrency })
            {
                BaseAddress = new Uri(options.ApiUrl + "/"),
                Timeout = TimeSpan.FromSeconds(30),
            };
            var scenarios = new NeoWorkerScenarios(options, bus, monitor, db, http);

            monitor.Phase = "idle";
            await Task.Delay(options.IdleSettle, cancellationToken).ConfigureAwait(false);

            await StepAsync(report, monitor, "ceiling", "1", "Ceiling", scenarios.CeilingAsync, cancellationToken).ConfigureAwait(false);
            await StepAsync(report, monitor, "direct", "2", "NeoWorker, direct publish", scenarios.DirectAsync, cancellationToken).ConfigureAwait(false);
            await StepAsync(report, monitor, "api", "3", "NeoWorker through the API", scenarios.ApiAsync, cancellationToken).ConfigureAwait(false);

            var fixedRate = report.Scenario("2") is { Ok: true, JobsPerSecond: > 0 } direct ? direct.JobsPerSecond / 2 : 0;
            if (fixedRate > 0)
            {
                await StepAsync(report, monitor, "fixed", "4", "Fixed load", ct => scenarios.FixedLoadAsync("4",
                    "NeoWorker at 50% of (2), direct publish", fixedRate, options.FixedLoadSeconds, ct), cancellationToken).ConfigureAwait(false);
            }
            else if (options.Runs("4"))
            {
                report.Scenarios.Add(Failed("4", "NeoWorker at 50% of (2), direct publish", "no rate from scenario 2"));
            }

            if (fixedRate > 0)
            {
                await StepAsync(report, monitor, "ceiling", "1b", "Ceiling at the rate of (4)", ct => scenarios.CeilingAtRateAsync(fixedRate,
                    Math.Min(options.FixedLoadSeconds, 20), ct), cancellationToken).ConfigureAwait(false);
            }

            await StepAsync(report, monitor, "per-request", "5a", "Process per request (runner)",
                ct => ProcessPerRequest.RunAsync(options, monitor, runner: true, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(report, monitor, "per-request", "5b", "Process per request (bare node)",
                ct => ProcessPerRequest.RunAsync(options, monitor, runner: false, ct), cancellationToken).ConfigureAwait(false);
            await StepAsync(report, monitor, "workloads", "7a", "CPU-heavy function", ct => scenarios.CpuHeavyAsync(20, ct), cancellationToken)
                .ConfigureAwait(false);
            await StepAsync(report, monitor, "workloads", "7b", "Large input", scenarios.LargeInputAsync, cancellationToken).ConfigureAwait(false);

            monitor.Phase = "probes";
            if (options.Only is null)
            {
                await ProbesAsync(report, db, cancellationToken).ConfigureAwait(false);
            }

            if (options.SoakSeconds > 0 && fixedRate > 0)
            {
                await StepAsync(report, monitor, "soak", "6", "Soak", ct => scenarios.FixedLoadAsync("6",
                    $"Soak: 50% of (2) for {options.SoakSeconds} s (memory growth)", fixedRate, options.SoakSeconds, ct), cancellationToken)
                    .ConfigureAwait(false);
            }

            monitor.Phase = "end";
        }

        report.MemorySamples = monitor.Samples;
        report.Memory = Memory(report.MemorySamples, options.SoakSeconds);
        if (monitor.WorkerRestarted)
        {
            report.Warnings.Add("the worker was restarted during the run (its pid changed): CPU and memory figures mix two processes");
        }

        if (report.Scenarios.Sum(s => s.Cpu?.MsPerJob.GetValueOrDefault(ProcessMonitor.Other) ?? 0) > 0
            && report.Scenario("2")?.Cpu is { } cpu && cpu.MsPerJob.GetValueOrDefault(ProcessMonitor.Other) > 0.2 * cpu.TotalMsPerJob)
        {
            report.Warnings.Add($"processes outside NeoWorker used {Format.Number(cpu.MsPerJob[ProcessMonitor.Other])} of {Format.Number(cpu.TotalMsPerJob)} "
                + "CPU ms per job in scenario 2: the machine was not quiet, so throughput figures are low");
        }

        report.Scenarios.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        report.Evaluate();
        report.TotalSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1);

        var markdown = MarkdownReport.Render(report);
        Console.Out.Write(markdown);
        Directory.CreateDirectory(options.OutputDirectory);
        var name = startedAt.ToString("yyyy-MM-dd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var jsonPath = Path.Combine(options.OutputDirectory, $"{name}.json");
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, Json), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, $"{name}.md"), markdown, cancellationToken).ConfigureAwait(false);
        Log.WriteLine($"[bench] {(report.Ok ? "done" : "FAILED")} in {report.TotalSeconds:0} s; wrote {jsonPath} (and .md)");
        foreach (var failed in report.Scenarios.Where(s => !s.Ok))
        {
            Log.WriteLine($"[bench] scenario {failed.Id} failed: {string.Join("; ", failed.Errors)}");
        }

        return report.Ok ? 0 : 1;
    }

    private async Task ProbesAsync(BenchmarkReport report, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        Log.WriteLine("[bench] probes: the runner over its pipe, the runner in-process, PostgreSQL statements");
        report.RunnerOverPipe = await RunnerProbe.OverPipeAsync(options, Functions.Seed, Functions.SeedInput, options.ProbeIterations,
            cancellationToken).ConfigureAwait(false);
        report.RunnerInProcess = await RunnerProbe.InProcessAsync(options, Functions.Seed, Functions.SeedInput(21), options.ProbeIterations,
            cancellationToken).ConfigureAwait(false);
        report.Database = await DatabaseProbe.RunAsync(db, options.ProbeIterations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one scenario; an exception fails that scenario only, and the run goes on.</summary>
    private async Task StepAsync(BenchmarkReport report, ProcessMonitor monitor, string phase, string id, string title,
        Func<CancellationToken, Task<ScenarioResult>> scenario, CancellationToken cancellationToken)
    {
        if (!options.Runs(id))
        {
            return;
        }

        monitor.Phase = phase;
        Log.WriteLine($"[bench] {id}. {title} …");
        ScenarioResult result;
        try
        {
            result = await scenario(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            result = Failed(id, title, $"{ex.GetType().Name}: {ex.Message}");
        }

        report.Scenarios.Add(result);
        Log.WriteLine($"[bench] {id}. {result.Completed}/{result.Jobs} jobs in {result.DurationSeconds:0.0} s = {result.JobsPerSecond:0.#} jobs/s, " +
            $"p50 {result.LatencyMs?.P50:0.0} ms, p99 {result.LatencyMs?.P99:0.0} ms{(result.Ok ? "" : " — FAILED: " + string.Join("; ", result.Errors))}");
    }

    private static ScenarioResult Failed(string id, string name, string error)
    {
        var result = new ScenarioResult { Id = id, Name = name };
        result.Errors.Add(error);
        return result;
    }

    private static MemoryReport? Memory(IReadOnlyList<MemorySample> samples, int soakSeconds)
    {
        static double Mb(double kb) => Math.Round(kb / 1024, 1);
        static double Median(IEnumerable<double> values) => LatencySummary.Median(values);
        static MemoryFigure Max(List<MemorySample> phase) =>
            new(Mb(phase.Max(s => s.WorkerKb)), Mb(phase.Max(s => s.EnclavesKb)), Mb(phase.Max(s => s.TotalKb)));

        var idle = samples.Where(s => s.Phase == "idle").ToList();
        var seed = samples.Where(s => s.Phase is "direct" or "api" or "fixed" or "soak").ToList();
        var workloads = samples.Where(s => s.Phase == "workloads").ToList();
        if (idle.Count == 0 || seed.Count == 0)
        {
            return null;
        }

        SoakMemory? soak = null;
        var soakSamples = samples.Where(s => s.Phase == "soak").ToList();
        if (soakSeconds > 0 && soakSamples.Count >= 10)
        {
            var start = soakSamples[0].Seconds;
            var end = soakSamples[^1].Seconds;
            var warmUp = (int)Math.Min(60, (end - start) / 5);
            var window = Math.Min(30, (end - start - warmUp) / 3);
            var first = soakSamples.Where(s => s.Seconds >= start + warmUp && s.Seconds < start + warmUp + window).ToList();
            var last = soakSamples.Where(s => s.Seconds > end - window).ToList();
            double Growth(Func<MemorySample, double> pick)
            {
                var a = Median(first.Select(pick));
                var b = Median(last.Select(pick));
                return a > 0 ? Math.Round(100 * (b - a) / a, 2) : double.NaN;
            }

            soak = new SoakMemory((int)Math.Round(end - start), warmUp, Mb(Median(first.Select(s => (double)s.TotalKb))),
                Mb(Median(last.Select(s => (double)s.TotalKb))), Mb(soakSamples.Max(s => s.TotalKb)),
                Growth(s => s.TotalKb), Growth(s => s.WorkerKb), Growth(s => s.EnclavesKb));
        }

        return new MemoryReport(
            idle[^1].Enclaves,
            new MemoryFigure(Mb(Median(idle.Select(s => (double)s.WorkerKb))), Mb(Median(idle.Select(s => (double)s.EnclavesKb))),
                Mb(Median(idle.Select(s => (double)s.TotalKb)))),
            Max(seed),
            workloads.Count > 0 ? Max(workloads) : null,
            soak);
    }
}
