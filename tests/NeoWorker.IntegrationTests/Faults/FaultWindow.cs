using Microsoft.EntityFrameworkCore;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>When a fault began and ended, and which of the stream's jobs were running when it began.</summary>
internal sealed class FaultWindow
{
    public DateTime StartedAt { get; private set; }

    public DateTime EndedAt { get; private set; }

    public IReadOnlyList<Guid> RunningAtStart { get; private set; } = [];

    /// <summary>Call right before the fault: notes the time and the stream's Running jobs (the ones it interrupts).</summary>
    public async Task BeginAsync(FaultFixture fixture, JobStream stream)
    {
        await using var db = fixture.CreateDb();
        RunningAtStart = await db.Jobs.AsNoTracking()
            .Where(j => j.FunctionId == stream.FunctionId && j.Status == JobStatus.Running)
            .Select(j => j.Id)
            .ToListAsync();
        StartedAt = DateTime.UtcNow;
    }

    /// <summary>
    /// After a worker was killed: the jobs it was running are the ones the fault interrupted (more precise than the
    /// snapshot taken before, which may hold jobs that finished in the moment before the kill).
    /// </summary>
    public async Task HeldByKilledAsync(FaultFixture fixture, JobStream stream, WorkerProcess killed)
    {
        var holder = $"-{killed.ProcessId}-";
        await using var db = fixture.CreateDb();
        RunningAtStart = await db.Jobs.AsNoTracking()
            .Where(j => j.FunctionId == stream.FunctionId && j.Status == JobStatus.Running && j.WorkerId!.Contains(holder))
            .Select(j => j.Id)
            .ToListAsync();
    }

    /// <summary>Call when the fault is over: the service answers again, the killed worker's replacement is launched.</summary>
    public void End() => EndedAt = DateTime.UtcNow;
}
