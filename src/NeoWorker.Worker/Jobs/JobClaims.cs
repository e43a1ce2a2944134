using System.Collections.Concurrent;

namespace NeoWorker.Worker.Jobs;

/// <summary>
/// The claims this worker process holds. Those being worked on are active; their leases are renewed while
/// they are (<see cref="Leases.LeaseSweeper"/>), so a live worker's job is never taken from it however slow it is.
/// Parked claims are held but not worked on: an attempt of a command failed after
/// the claim (the database or the broker went away, an enclave could not be reached and the release
/// could not be written) and the claim was parked for the retry of that command. The retry resumes
/// it: the same attempt, and the stored-to-be outcome when the enclave had already answered. So a
/// job that ran to completion is not run again because only the write of its outcome failed, and a
/// worker never waits for its own lease to pass. Parked claims die with the process, as the lease
/// intends; one left behind by a command that never came back is dropped after <see cref="KeepFor"/>.
/// </summary>
public sealed class JobClaims(TimeProvider clock)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<Guid, JobClaim> _parked = new();
    private readonly ConcurrentDictionary<Guid, byte> _active = new();
    private int _running;

    /// <summary>Jobs in an enclave right now.</summary>
    public int Running => Volatile.Read(ref _running);

    public int Parked => _parked.Count;

    /// <summary>The jobs whose claims this process holds (active or parked): their leases are renewed.</summary>
    public IReadOnlyList<Guid> Held => [.. _active.Keys.Union(_parked.Keys)];

    public void Activate(Guid jobId) => _active[jobId] = 0;

    public void Deactivate(Guid jobId) => _active.TryRemove(jobId, out _);

    public void Park(JobClaim claim)
    {
        var now = clock.GetUtcNow();
        _parked[claim.Job.Id] = claim with { ParkedAt = now };
        foreach (var (jobId, stale) in _parked)
        {
            if (now - stale.ParkedAt > KeepFor)
            {
                _parked.TryRemove(jobId, out _);
            }
        }
    }

    /// <summary>Takes the parked claim on the job, if any; two deliveries of one command never both get it.</summary>
    public JobClaim? TryResume(Guid jobId) => _parked.TryRemove(jobId, out var claim) ? claim : null;

    public void EnclaveStarted() => Interlocked.Increment(ref _running);

    public void EnclaveEnded() => Interlocked.Decrement(ref _running);
}
