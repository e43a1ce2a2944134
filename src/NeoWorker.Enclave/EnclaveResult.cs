namespace NeoWorker.Enclave;

/// <summary>The outcome of one job in an enclave.</summary>
/// <param name="Status">Succeeded, Failed, TimedOut or Canceled (see NeoWorker.Contracts.JobStatuses).</param>
/// <param name="Result">The return value of <c>main</c> as a JSON text.</param>
/// <param name="GasUsed">Isolate CPU time in microseconds.</param>
/// <param name="EnclaveId">The enclave that had the job; null when it was canceled before any enclave took it.</param>
public sealed record EnclaveResult(
    string Status,
    string? Result,
    string? ErrorCode,
    string? Error,
    string? Logs,
    bool LogsTruncated,
    long ExecutionTimeMs,
    long GasUsed,
    string? EnclaveId,
    EnclaveProof? Proof = null)
{
    /// <summary>A job whose <see cref="EnclaveJob.StopRequested"/> fired before it started: it never ran.</summary>
    internal static EnclaveResult CanceledBeforeStart(string? enclaveId) =>
        new(Contracts.JobStatuses.Canceled, null, Contracts.ErrorCodes.Canceled, "The job was canceled before it started.",
            null, false, 0, 0, enclaveId);
}
