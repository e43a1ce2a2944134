namespace NeoWorker.Worker.Jobs;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} of {UserId}/{FunctionId} started, attempt {Attempt}")]
    public static partial void JobStarted(ILogger logger, Guid jobId, string userId, string functionId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} finished {Status} ({ErrorCode}) in {ElapsedMs} ms on enclave {EnclaveId}")]
    public static partial void JobFinished(ILogger logger, Guid jobId, string status, string? errorCode, long elapsedMs, string? enclaveId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} already {Status}; republishing its completion event")]
    public static partial void JobAlreadyFinished(ILogger logger, Guid jobId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} lost its claim before it finished; the holder of the newer claim finishes it")]
    public static partial void JobClaimLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} handed back to the queue: {Reason}")]
    public static partial void JobReleased(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} faulted after retries: {Reason}")]
    public static partial void JobFaulted(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} is held by {WorkerId} until {LeaseExpiresAt:O}; this copy of its command is dropped (the holder finishes it, or the lease sweeper hands it back)")]
    public static partial void JobHeldElsewhere(ILogger logger, Guid jobId, string? workerId, DateTimeOffset? leaseExpiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ran on enclave {EnclaveId}: {Status}, attempt {Attempt}")]
    public static partial void JobExecuted(ILogger logger, Guid jobId, string enclaveId, string status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: its outcome could not be stored ({Failure}); kept for the retry, the function is not run again")]
    public static partial void OutcomeParked(ILogger logger, Guid jobId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} could not be handed back ({Failure}); the claim is kept for the retry")]
    public static partial void ReleaseFailed(ILogger logger, Guid jobId, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} is still held by a live claim until {LeaseExpiresAt:O}; recording the fault once it is finished or its lease has passed")]
    public static partial void FaultWaitsForLease(ILogger logger, Guid jobId, DateTimeOffset? leaseExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault of job {JobId} not recorded: no job row (the command was never recorded) and the command cannot be stored ({Reason})")]
    public static partial void FaultWithoutJob(ILogger logger, Guid jobId, string reason);
}
