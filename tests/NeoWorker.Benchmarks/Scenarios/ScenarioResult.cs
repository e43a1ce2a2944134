using NeoWorker.Benchmarks.Measurement;

namespace NeoWorker.Benchmarks.Scenarios;

/// <summary>One row of the report. Latencies in milliseconds; a scenario with errors failed the run.</summary>
internal sealed class ScenarioResult
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public int Jobs { get; set; }
    public int Completed { get; set; }
    public int Correct { get; set; }
    public double DurationSeconds { get; set; }
    public double JobsPerSecond { get; set; }

    /// <summary>Fixed-load scenarios: the rate offered, in jobs a second.</summary>
    public double? OfferedRate { get; set; }

    /// <summary>Send → completion: publish → event, POST → event, or process start → exit.</summary>
    public LatencySummary? LatencyMs { get; set; }

    /// <summary>How long sending took: the publish until its broker confirm, or the POST until its 202.</summary>
    public LatencySummary? SubmitMs { get; set; }

    /// <summary>The runner's executionTimeMs (wall time in the enclave).</summary>
    public LatencySummary? ExecutionTimeMs { get; set; }

    /// <summary>gasUsed: CPU microseconds inside the job's isolate.</summary>
    public LatencySummary? GasUsed { get; set; }

    /// <summary>Completion events that carried an execution proof.</summary>
    public int WithProof { get; set; }

    public CpuUsage? Cpu { get; set; }
    public Breakdown? Breakdown { get; set; }
    public string? Notes { get; set; }
    public List<string> Errors { get; } = [];
    public bool Ok => Errors.Count == 0;
}
