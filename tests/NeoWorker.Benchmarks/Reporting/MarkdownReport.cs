using System.Globalization;
using System.Text;
using NeoWorker.Benchmarks.Measurement;
using NeoWorker.Benchmarks.Scenarios;

namespace NeoWorker.Benchmarks.Reporting;

/// <summary>The report as Markdown tables (what ops/bench.sh prints, and what the README quotes).</summary>
internal static class MarkdownReport
{
    private static readonly string[] CpuParts =
    [
        ProcessMonitor.Worker, ProcessMonitor.Enclaves, ProcessMonitor.Postgres, ProcessMonitor.RabbitMq,
        ProcessMonitor.Api, ProcessMonitor.Client, ProcessMonitor.ClientChildren, ProcessMonitor.Other,
    ];

    public static string Render(BenchmarkReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        md.AppendLine(CultureInfo.InvariantCulture, $"### NeoWorker benchmark, {report.StartedAt} ({report.Mode})");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{report.Command}` — {m.Cores} cores ({m.Cpu}), {Format.Number(m.MemoryGiB)} GiB RAM, {m.Os}, Linux {m.Kernel}; "
            + $"{m.Dotnet}, Node.js {m.Node ?? "?"}, PostgreSQL {m.PostgreSql ?? "?"}, RabbitMQ {m.RabbitMq ?? "?"}, MassTransit {m.MassTransit}; "
            + $"worker with {m.Enclaves} enclaves (simulation); load average at start {m.LoadAverageAtStart}.");
        md.AppendLine();

        md.AppendLine("| # | Scenario | Jobs | Duration s | Jobs/s | p50 ms | p95 ms | p99 ms | Notes |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in report.Scenarios)
        {
            var notes = s.Notes ?? "";
            if (s.ExecutionTimeMs is { } exec && !s.Id.StartsWith('1'))
            {
                notes += s.Id.StartsWith('5')
                    ? $"; time inside the process p50 {Format.Number(exec.P50)} ms"
                    : $"; runner executionTimeMs p50 {Format.Number(exec.P50)}";
            }

            if (s.GasUsed is { P50: > 0 } gas)
            {
                notes += $", gasUsed p50 {Format.Number(gas.P50)} µs";
            }

            if (s.ExecutionTimeMs is not null && !s.Id.StartsWith('1') && !s.Id.StartsWith('5') && s.Completed > 0)
            {
                notes += s.WithProof == s.Completed ? "; every event carried a proof" : $"; {s.WithProof} of {s.Completed} events carried a proof";
            }

            if (s.SubmitMs is { } submit)
            {
                notes += $"; send p50 {Format.Number(submit.P50)} ms";
            }

            if (!s.Ok)
            {
                notes += $"; **FAILED: {string.Join("; ", s.Errors)}**";
            }

            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Id} | {s.Name} | {Jobs(s)} | {Format.Number(s.DurationSeconds)} | {Format.Number(s.JobsPerSecond)} | "
                + $"{Format.Number(s.LatencyMs?.P50)} | {Format.Number(s.LatencyMs?.P95)} | {Format.Number(s.LatencyMs?.P99)} | {notes.TrimStart(';', ' ')} |");
        }

        md.AppendLine();
        md.AppendLine("| Ratio | Value |");
        md.AppendLine("|---|---:|");
        foreach (var (name, value) in report.Ratios)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Format.Number(value)} |");
        }

        md.AppendLine();
        md.AppendLine("| Target (issue 9) | Measured | Verdict |");
        md.AppendLine("|---|---:|---|");
        foreach (var t in report.Targets)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Target} | {t.Measured} | {t.Verdict} |");
        }

        if (report.Memory is { } memory)
        {
            md.AppendLine();
            md.AppendLine("| Worker RSS, MB | .NET worker | enclaves | total |");
            md.AppendLine("|---|---:|---:|---:|");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| idle at the start ({memory.Enclaves} enclaves; the worker is not restarted, so earlier runs count) | {Format.Number(memory.Idle.WorkerMb)} | {Format.Number(memory.Idle.EnclavesMb)} | {Format.Number(memory.Idle.TotalMb)} |");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| under load, seed function (max over 2, 3, 4, 6) | {Format.Number(memory.SeedLoad.WorkerMb)} | {Format.Number(memory.SeedLoad.EnclavesMb)} | {Format.Number(memory.SeedLoad.TotalMb)} |");
            if (memory.Workloads is { } workloads)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| CPU-heavy and 1 MB-input jobs (max over 7) | {Format.Number(workloads.WorkerMb)} | {Format.Number(workloads.EnclavesMb)} | {Format.Number(workloads.TotalMb)} |");
            }

            if (memory.Soak is { } soak)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| soak {soak.Seconds} s: growth after {soak.WarmUpSeconds} s warm-up | {Format.Number(soak.WorkerGrowthPercent)}% | {Format.Number(soak.EnclavesGrowthPercent)}% | "
                    + $"{Format.Number(soak.GrowthPercent)}% ({Format.Number(soak.StartMb)} → {Format.Number(soak.EndMb)}, max {Format.Number(soak.MaxMb)}) |");
            }
        }

        foreach (var id in new[] { "4", "3" })
        {
            if (report.Scenario(id) is { Breakdown: { } breakdown } s)
            {
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"| Where a job's time goes: {s.Id}. {s.Name} ({breakdown.Jobs} jobs) | p50 ms | p95 ms |");
                md.AppendLine("|---|---:|---:|");
                foreach (var part in breakdown.Parts)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {part.Stage} | {Format.Number(part.P50)} | {Format.Number(part.P95)} |");
                }
            }
        }

        var withCpu = report.Scenarios.Where(s => s.Cpu is not null && s.Completed > 0).ToList();
        if (withCpu.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| CPU ms per job | " + string.Join(" | ", withCpu.Select(s => s.Id)) + " |");
            md.AppendLine("|---|" + string.Concat(withCpu.Select(_ => "---:|")));
            foreach (var part in CpuParts)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {part} | {string.Join(" | ", withCpu.Select(s => Format.Number(s.Cpu!.MsPerJob.TryGetValue(part, out var v) ? v : double.NaN)))} |");
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"| **all** | {string.Join(" | ", withCpu.Select(s => Format.Number(s.Cpu!.TotalMsPerJob)))} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| machine busy % | {string.Join(" | ", withCpu.Select(s => Format.Number(s.Cpu!.MachineBusyPercent)))} |");
        }

        md.AppendLine();
        md.AppendLine("| Probe (one at a time, no broker) | n | p50 ms | p95 ms |");
        md.AppendLine("|---|---:|---:|---:|");
        if (report.RunnerOverPipe is { } pipe)
        {
            md.AppendLine(pipe.Error is null
                ? $"| runner over its pipe: request → result line (seed function) | {pipe.Iterations} | {Format.Number(pipe.RoundTripMs?.P50)} | {Format.Number(pipe.RoundTripMs?.P95)} |"
                : $"| runner over its pipe | – | failed: {pipe.Error} | |");
            if (pipe.Error is null)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| · of which executionTimeMs | {pipe.Iterations} | {Format.Number(pipe.ExecutionTimeMs?.P50)} | {Format.Number(pipe.ExecutionTimeMs?.P95)} |");
                md.AppendLine(CultureInfo.InvariantCulture, $"| runner start → ready (once per enclave) | 1 | {Format.Number(pipe.StartMs)} | |");
            }
        }

        if (report.RunnerInProcess is { } profile)
        {
            md.AppendLine(profile.Error is null
                ? $"| in the runner's process: runJob() (seed function) | {profile.RunJobMs?.Count} | {Format.Number(profile.RunJobMs?.P50)} | {Format.Number(profile.RunJobMs?.P95)} |"
                : $"| runner-profile.js | – | failed: {profile.Error} | |");
            if (profile.Error is null)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| · runJob() when the isolate was prepared while the runner was idle | {profile.PreparedRunJobMs?.Count} | {Format.Number(profile.PreparedRunJobMs?.P50)} | {Format.Number(profile.PreparedRunJobMs?.P95)} |");
                md.AppendLine(CultureInfo.InvariantCulture, $"| · an isolate alone: new Isolate + createContext + dispose | {profile.IsolateMs?.Count} | {Format.Number(profile.IsolateMs?.P50)} | {Format.Number(profile.IsolateMs?.P95)} |");
                md.AppendLine(CultureInfo.InvariantCulture, $"| · for comparison: a new context in a reused isolate | {profile.ContextMs?.Count} | {Format.Number(profile.ContextMs?.P50)} | {Format.Number(profile.ContextMs?.P95)} |");
                md.AppendLine(CultureInfo.InvariantCulture, $"| · for comparison: one P-256 signature over a statement-sized text (node crypto) | {profile.SignMs?.Count} | {Format.Number(profile.SignMs?.P50)} | {Format.Number(profile.SignMs?.P95)} |");
            }
        }

        if (report.Database is { } database)
        {
            if (database.Error is not null)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL statements | – | failed: {database.Error} | |");
            }
            else
            {
                foreach (var (statement, ms) in database.MedianMs)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL: {statement} | {database.Iterations} | {Format.Number(ms)} | |");
                }

                md.AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL: the worker's statements for one job, together | {database.Iterations} | {Format.Number(database.PerJobMs)} | |");
            }
        }

        foreach (var warning in report.Warnings)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Warning: {warning}");
        }

        return md.ToString();
    }

    private static string Jobs(ScenarioResult s) =>
        s.Completed == s.Jobs ? s.Jobs.ToString(CultureInfo.InvariantCulture) : $"{s.Completed}/{s.Jobs}";
}
