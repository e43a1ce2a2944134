namespace NeoWorker.Api.Jobs.Stats;

/// <summary>
/// What a dashboard shows at a glance: jobs per state (all time, the caller's scope), and over the
/// last <c>windowMinutes</c> the completions per minute and the execution time percentiles.
/// </summary>
public sealed record JobStats(
    IReadOnlyDictionary<string, long> Counts,
    long Total,
    int WindowMinutes,
    IReadOnlyList<CompletionsInMinute> CompletionsPerMinute,
    ExecutionTimeSummary ExecutionTimeMs);

public sealed record CompletionsInMinute(DateTimeOffset Minute, long Count);

public sealed record ExecutionTimeSummary(long Count, double? P50, double? P95);
