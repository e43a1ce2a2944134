namespace NeoWorker.Persistence.Entities;

public static class JobStatusExtensions
{
    public static bool IsTerminal(this JobStatus status) => status is not (JobStatus.Queued or JobStatus.Running);
}
