using System.Text.Json;
using NeoWorker.Contracts;

namespace NeoWorker.Api.Jobs;

/// <summary>The seed's answer <c>{result, executionTimeMs, gasUsed}</c>, with the job id, state and proof.</summary>
public sealed record ExecutionResultView(
    Guid JobId,
    string Status,
    JsonElement? Result,
    long ExecutionTimeMs,
    long GasUsed,
    string? ErrorCode,
    string? Error,
    string? Logs,
    ExecutionProof? Proof)
{
    public static ExecutionResultView From(JobView job) => new(
        job.JobId, job.Status, job.Result, job.ExecutionTimeMs ?? 0, job.GasUsed ?? 0, job.ErrorCode, job.Error, job.Logs, job.Proof);
}
