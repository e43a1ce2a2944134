namespace NeoWorker.Worker.Jobs;

/// <summary>Another live worker holds the job; the command is retried later, when it has finished or its lease passed.</summary>
public sealed class JobBusyException(Guid jobId)
    : Exception($"Job {jobId} is running on another worker.");
