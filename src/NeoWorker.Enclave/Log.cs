using Microsoft.Extensions.Logging;

namespace NeoWorker.Enclave;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Enclave {EnclaveId} started (pid {ProcessId}, simulated {Simulated})")]
    public static partial void EnclaveStarted(ILogger logger, string enclaveId, int processId, bool simulated);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enclave {EnclaveId} replaced ({Reason}): {Detail}; restarts so far {Restarts}")]
    public static partial void EnclaveReplaced(ILogger logger, string enclaveId, string reason, string detail, int restarts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} on enclave {EnclaveId}: stop requested, asking the runner to cancel it")]
    public static partial void JobCancelRequested(ILogger logger, string jobId, string enclaveId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Enclave {EnclaveId} could not be restarted")]
    public static partial void EnclaveRestartFailed(ILogger logger, Exception exception, string enclaveId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enclave {EnclaveId} broke the protocol with a line of {Length} characters; killing it")]
    public static partial void RunnerProtocolViolation(ILogger logger, string enclaveId, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enclave {EnclaveId} sent an unexpected {MessageType} for {MessageId}")]
    public static partial void RunnerUnexpectedReply(ILogger logger, string enclaveId, string? messageType, string? messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enclave {EnclaveId}: {RunnerLine}")]
    public static partial void RunnerStderr(ILogger logger, string enclaveId, string runnerLine);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enclave pool warm with {Count} enclaves")]
    public static partial void PoolWarm(ILogger logger, int count);
}
