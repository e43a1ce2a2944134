using System.Text.Json;
using NeoWorker.Contracts;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.Jobs;

/// <summary>A job as the API shows it; <c>result</c> is the function's JSON value itself, not a string.</summary>
public sealed record JobView(
    Guid JobId,
    string FunctionId,
    string UserId,
    string Status,
    JsonElement? Result,
    string? ErrorCode,
    string? Error,
    string? Logs,
    bool LogsTruncated,
    long? ExecutionTimeMs,
    long? GasUsed,
    string CodeSha256,
    int Attempts,
    string? EnclaveId,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CancelRequestedAt,
    string? CorrelationId,
    ExecutionProof? Proof)
{
    public static JobView From(Job job, ExecutionProof? proof) => new(
        job.Id,
        job.FunctionId,
        job.UserId,
        job.Status.ToString(),
        ParseResult(job.Result),
        job.ErrorCode,
        job.Error,
        job.Logs,
        job.LogsTruncated,
        job.ExecutionTimeMs,
        job.GasUsed,
        job.CodeSha256,
        job.AttemptCount,
        job.EnclaveId,
        job.RequestedAt,
        job.StartedAt,
        job.CompletedAt,
        job.CancelRequestedAt,
        job.CorrelationId,
        proof);

    private static JsonElement? ParseResult(string? result)
    {
        if (result is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(result);
        return document.RootElement.Clone();
    }
}
