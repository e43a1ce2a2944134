namespace NeoWorker.Api.Jobs.Listing;

/// <summary>One row of the job list: what a dashboard shows without the job's code, input or result.</summary>
public sealed record JobSummary(
    Guid JobId,
    string FunctionId,
    string UserId,
    string Status,
    string? ErrorCode,
    long? ExecutionTimeMs,
    int Attempts,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt);
