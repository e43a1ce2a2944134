namespace NeoWorker.Enclave;

/// <summary>The outcome of one job in an enclave.</summary>
/// <param name="Status">Succeeded, Failed or TimedOut (see NeoWorker.Contracts.JobStatuses).</param>
/// <param name="Result">The return value of <c>main</c> as a JSON text.</param>
/// <param name="GasUsed">Isolate CPU time in microseconds.</param>
public sealed record EnclaveResult(
    string Status,
    string? Result,
    string? ErrorCode,
    string? Error,
    string? Logs,
    bool LogsTruncated,
    long ExecutionTimeMs,
    long GasUsed,
    string EnclaveId,
    EnclaveProof? Proof = null);
