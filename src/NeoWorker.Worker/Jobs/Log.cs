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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a command without a JobId")]
    public static partial void CommandWithoutJobId(ILogger logger);
}
