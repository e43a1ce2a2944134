using NeoWorker.Persistence.Entities;

namespace NeoWorker.Worker.Jobs;

/// <summary>
/// This worker's claim on a job (the row as claimed, so its attempt number) and, once the enclave
/// answered, the outcome that still has to be stored.
/// </summary>
public sealed record JobClaim(Job Job, int TimeoutMs, JobOutcome? Outcome = null)
{
    public DateTimeOffset ParkedAt { get; init; }
}
