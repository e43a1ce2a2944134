using System.Runtime;
using Microsoft.Extensions.Options;
using NeoWorker.ServiceDefaults.Memory;
using NeoWorker.Worker.Jobs;

namespace NeoWorker.Worker.Memory;

/// <summary>
/// Gives memory back to the machine once the worker falls idle after work. A job with a 1 MB input leaves
/// several MB of large-object garbage (the command, its strings, the pipe line to the enclave); with no
/// allocations while idle the GC never runs, so 50 such jobs kept ≈ 280 MB resident for good, memory the
/// enclaves on the same machine could use. One full, compacting collection (≈ tens of ms) when idle returns it.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(RunningJobs running, IOptions<WorkerOptions> options, ILogger<IdleMemoryTrimmer> logger)
    : BackgroundService
{
    private const long MinAllocatedBytes = 64L * 1024 * 1024;
    private const long QuietBytesPerSecond = 2L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.IdleTrimSeconds;
        if (seconds == 0)
        {
            return;
        }

        var policy = new IdleTrimPolicy(seconds, MinAllocatedBytes, QuietBytesPerSecond);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (policy.Tick(GC.GetTotalAllocatedBytes(), !running.IsEmpty))
            {
                Trim();
            }
        }
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogTrimmed(logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Idle: memory trimmed, working set {BeforeMb} → {AfterMb} MB")]
    private static partial void LogTrimmed(ILogger logger, long beforeMb, long afterMb);
}
