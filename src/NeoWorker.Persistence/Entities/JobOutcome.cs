namespace NeoWorker.Persistence.Entities;

/// <summary>What a worker writes when a job reaches its terminal state.</summary>
public sealed record JobOutcome(
    JobStatus Status,
    string? Result,
    string? ErrorCode,
    string? Error,
    string? Logs,
    bool LogsTruncated,
    long ExecutionTimeMs,
    long GasUsed,
    string? EnclaveId,
    DateTimeOffset CompletedAt,
    ProofRecord? Proof = null);
