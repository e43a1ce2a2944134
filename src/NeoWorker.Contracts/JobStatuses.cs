namespace NeoWorker.Contracts;

/// <summary>The job states as they appear in messages and in the API.</summary>
public static class JobStatuses
{
    public const string Queued = "Queued";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string TimedOut = "TimedOut";
    public const string Faulted = "Faulted";
    public const string Canceled = "Canceled";
}
