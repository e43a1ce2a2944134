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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enclave {EnclaveId} awaits the fleet's sealing key: its key request is {RequestFile}; "
        + "answer it with ops/release_sealing_key.sh --request {RequestFile} --out {ReleaseFile}")]
    public static partial void SealingKeyRequested(ILogger logger, string enclaveId, string requestFile, string releaseFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enclave {EnclaveId} holds the sealing keys {KeyIds} by release (stored: {Persisted})")]
    public static partial void SealingKeyReleased(ILogger logger, string enclaveId, string keyIds, bool persisted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enclave {EnclaveId} restored the released sealing keys {KeyIds} from its key store")]
    public static partial void SealingKeyRestored(ILogger logger, string enclaveId, string keyIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enclave {EnclaveId} holds the sealing keys {KeyIds}, not those of Tee:KeyRelease:KeyIds ({Expected}): asking for a new release")]
    public static partial void SealingKeysOutdated(ILogger logger, string enclaveId, string keyIds, string expected);

    [LoggerMessage(Level = LogLevel.Error, Message = "Enclave {EnclaveId} refused the release ({Reason}); it is kept as {RejectedFile} and the request stands")]
    public static partial void SealingKeyReleaseRejected(ILogger logger, string enclaveId, string reason, string rejectedFile);

    [LoggerMessage(Level = LogLevel.Error, Message = "Enclave {EnclaveId} made no key request: {Reason}")]
    public static partial void SealingKeyRequestFailed(ILogger logger, string enclaveId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Enclave {EnclaveId} takes no released keys although Tee:SealingKeySource is Release "
        + "(its runner does not request them: for Occlum, an instance built for SGX hardware does); jobs with sealed secrets will fail")]
    public static partial void RunnerTakesNoReleasedKey(ILogger logger, string enclaveId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Enclave {EnclaveId}: the key request could not be written to {RequestFile}; trying again")]
    public static partial void KeyRequestNotWritten(ILogger logger, Exception exception, string enclaveId, string requestFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enclave {EnclaveId}: key release for this runner ended ({Reason})")]
    public static partial void SealingKeyRelayEnded(ILogger logger, string enclaveId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enclave pool warm with {Count} enclaves")]
    public static partial void PoolWarm(ILogger logger, int count);
}
