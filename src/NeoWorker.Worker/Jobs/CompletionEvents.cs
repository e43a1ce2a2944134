using NeoWorker.Contracts;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Worker.Jobs;

/// <summary>
/// The completion event is always built from the stored row, so the first publish and any
/// republish after a redelivery carry the same content.
/// </summary>
internal static class CompletionEvents
{
    public static JavaScriptExecutionCompleted From(Job job, ExecutionProofRow? proof)
    {
        if (!job.Status.IsTerminal() || job.CompletedAt is null)
        {
            throw new InvalidOperationException($"Job {job.Id} is {job.Status}, not finished.");
        }

        return new JavaScriptExecutionCompleted(
            job.Id,
            job.FunctionId,
            job.UserId,
            job.Status.ToString(),
            job.Result,
            job.ErrorCode,
            job.Error,
            job.Logs,
            job.ExecutionTimeMs ?? 0,
            job.GasUsed ?? 0,
            proof?.ToExecutionProof(),
            job.CompletedAt.Value);
    }
}
