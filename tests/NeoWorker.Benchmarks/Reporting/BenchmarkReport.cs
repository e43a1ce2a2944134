using NeoWorker.Benchmarks.Measurement;
using NeoWorker.Benchmarks.Scenarios;

namespace NeoWorker.Benchmarks.Reporting;

/// <summary>A target of issue 9 and whether this run met it.</summary>
internal sealed record TargetCheck(string Target, string Measured, bool? Met, string Verdict);

/// <summary>Worker RSS (the .NET process plus its enclave processes), in MB.</summary>
internal sealed record MemoryReport(
    int Enclaves,
    MemoryFigure Idle,
    MemoryFigure SeedLoad,
    MemoryFigure? Workloads,
    SoakMemory? Soak);

/// <summary>RSS in MB of the .NET worker, of its enclaves, and of both (each the median or the maximum over a phase).</summary>
internal sealed record MemoryFigure(double WorkerMb, double EnclavesMb, double TotalMb);

/// <summary>Growth over the soak after its warm-up: median of the first 30 s after warm-up against the median of the last 30 s.</summary>
internal sealed record SoakMemory(
    int Seconds,
    int WarmUpSeconds,
    double StartMb,
    double EndMb,
    double MaxMb,
    double GrowthPercent,
    double WorkerGrowthPercent,
    double EnclavesGrowthPercent);

/// <summary>Everything one run measured; written as JSON and rendered as Markdown.</summary>
internal sealed class BenchmarkReport
{
    public required string StartedAt { get; init; }
    public required string Mode { get; init; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public List<ScenarioResult> Scenarios { get; } = [];
    public List<TargetCheck> Targets { get; } = [];
    public Dictionary<string, double?> Ratios { get; } = [];
    public MemoryReport? Memory { get; set; }
    public RunnerProbeResult? RunnerOverPipe { get; set; }
    public RunnerProfileResult? RunnerInProcess { get; set; }
    public DatabaseProbeResult? Database { get; set; }
    public List<string> Warnings { get; } = [];
    public double TotalSeconds { get; set; }
    public IReadOnlyList<MemorySample> MemorySamples { get; set; } = [];

    public ScenarioResult? Scenario(string id) => Scenarios.FirstOrDefault(s => s.Id == id);

    public bool Ok => Scenarios.All(s => s.Ok);

    /// <summary>The ratios and targets, from the scenarios measured.</summary>
    public void Evaluate()
    {
        double? Rate(string id) => Scenario(id) is { Ok: true, JobsPerSecond: > 0 } s ? s.JobsPerSecond : null;
        double? Divide(double? a, double? b) => a is { } x && b is { } y && y > 0 ? Math.Round(x / y, 3) : null;

        Ratios["direct ÷ ceiling (2÷1)"] = Divide(Rate("2"), Rate("1"));
        Ratios["API ÷ ceiling (3÷1)"] = Divide(Rate("3"), Rate("1"));
        Ratios["direct ÷ process per request, runner (2÷5a)"] = Divide(Rate("2"), Rate("5a"));
        Ratios["direct ÷ process per request, bare node (2÷5b)"] = Divide(Rate("2"), Rate("5b"));

        Targets.Add(AtLeast("direct publish ≥ 0.35 × ceiling", Ratios["direct ÷ ceiling (2÷1)"], 0.35, "×"));
        Targets.Add(AtLeast("through the API ≥ 0.25 × ceiling", Ratios["API ÷ ceiling (3÷1)"], 0.25, "×"));
        Targets.Add(AtLeast("≥ 30 × process per request (runner, 5a)", Ratios["direct ÷ process per request, runner (2÷5a)"], 30, "×"));
        Targets.Add(AtLeast("≥ 30 × process per request (bare node, 5b)", Ratios["direct ÷ process per request, bare node (2÷5b)"], 30, "×"));
        var fixedLoad = Scenario("4");
        Targets.Add(Below("50% load: p50 < 5 ms publish→event", fixedLoad is { Ok: true } ? fixedLoad.LatencyMs?.P50 : null, 5, "ms"));
        Targets.Add(Below("50% load: p99 < 25 ms publish→event", fixedLoad is { Ok: true } ? fixedLoad.LatencyMs?.P99 : null, 25, "ms"));
        Targets.Add(Below("worker RSS with its enclaves < 500 MB under load (seed function: 2, 3, 4, 6)", Memory?.SeedLoad.TotalMb, 500, "MB"));
        Targets.Add(Memory?.Soak is { } soak
            ? Below($"< 5% RSS growth over the soak ({soak.Seconds} s, after {soak.WarmUpSeconds} s warm-up)", soak.GrowthPercent, 5, "%")
            : new TargetCheck("< 5% RSS growth over 10 minutes", "—", null, "not measured (run with --soak 600)"));
    }

    private static TargetCheck AtLeast(string target, double? value, double goal, string unit)
    {
        if (value is not { } v)
        {
            return new TargetCheck(target, "—", null, "not measured");
        }

        var measured = $"{Format.Number(v)}{unit}";
        return v >= goal
            ? new TargetCheck(target, measured, true, "met")
            : new TargetCheck(target, measured, false, $"not met: {Format.Number(goal / v)}× short");
    }

    private static TargetCheck Below(string target, double? value, double goal, string unit)
    {
        if (value is not { } v)
        {
            return new TargetCheck(target, "—", null, "not measured");
        }

        var measured = $"{Format.Number(v)} {unit}";
        return v < goal
            ? new TargetCheck(target, measured, true, "met")
            : new TargetCheck(target, measured, false, $"not met: {Format.Number(v - goal)} {unit} over ({Format.Number(v / goal)}× the target)");
    }
}
