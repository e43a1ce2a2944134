namespace NeoWorker.Worker.Jobs;

/// <summary>A live claim holds the job (this worker's, or, when a fault is recorded, any): try again once it has finished or passed.</summary>
public sealed class JobBusyException(Guid jobId)
    : Exception($"Job {jobId} is still running under a live claim.");
