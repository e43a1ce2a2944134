namespace NeoWorker.Worker.Jobs;

/// <summary>A live claim still holds the job: its fault is recorded later, once the claim has finished or passed.</summary>
public sealed class JobBusyException(Guid jobId)
    : Exception($"Job {jobId} is running on another worker.");
