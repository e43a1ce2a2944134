namespace NeoWorker.Contracts;

/// <summary>Error codes of failed, timed-out and faulted jobs.</summary>
public static class ErrorCodes
{
    public const string ScriptError = "ScriptError";
    public const string SyntaxError = "SyntaxError";
    public const string InvalidInput = "InvalidInput";
    public const string InvalidResult = "InvalidResult";
    public const string MemoryLimit = "MemoryLimit";
    public const string OutputTooLarge = "OutputTooLarge";
    public const string CodeTooLarge = "CodeTooLarge";
    public const string TimedOut = "TimedOut";
    public const string EnclaveCrashed = "EnclaveCrashed";
    public const string EnclaveUnresponsive = "EnclaveUnresponsive";
    public const string InvalidSecrets = "InvalidSecrets";
    public const string InternalError = "InternalError";

    /// <summary>The job was canceled (<c>POST /jobs/{id}/cancel</c>) before it finished; its status is Canceled.</summary>
    public const string Canceled = "Canceled";
}
