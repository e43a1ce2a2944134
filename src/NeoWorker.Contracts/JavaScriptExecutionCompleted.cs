namespace NeoWorker.Contracts;

/// <summary>
/// Event: a job reached its terminal state. Delivered at least once; subscribers deduplicate by
/// <paramref name="JobId"/>. A redelivered event for the same job carries the same content.
/// </summary>
/// <param name="Status">The terminal job state (see <see cref="JobStatuses"/>).</param>
/// <param name="Result">The function's return value as a JSON text, when it succeeded.</param>
/// <param name="GasUsed">CPU time the function used inside its isolate, in microseconds.</param>
public sealed record JavaScriptExecutionCompleted(
    Guid JobId,
    string FunctionId,
    string UserId,
    string Status,
    string? Result,
    string? ErrorCode,
    string? Error,
    string? Logs,
    long ExecutionTimeMs,
    long GasUsed,
    ExecutionProof? Proof,
    DateTimeOffset CompletedAt);
