using System.Collections.Concurrent;

namespace NeoWorker.Worker.Jobs;

/// <summary>The jobs this worker is running now, each with the switch that stops it when a caller cancels it.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> running = new();

    public bool IsEmpty => running.IsEmpty;

    public IReadOnlyCollection<Guid> Ids => [.. running.Keys];

    /// <summary>Registers a job for the time it runs; dispose the registration when it ends.</summary>
    public Registration Register(Guid jobId)
    {
        var stop = new CancellationTokenSource();
        running[jobId] = stop;
        return new Registration(this, jobId, stop);
    }

    /// <summary>Stops the job if it is still running here; false when it is not.</summary>
    public bool RequestStop(Guid jobId)
    {
        if (!running.TryGetValue(jobId, out var stop))
        {
            return false;
        }

        try
        {
            stop.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public sealed class Registration(RunningJobs owner, Guid jobId, CancellationTokenSource stop) : IDisposable
    {
        public CancellationToken StopRequested => stop.Token;

        public void Dispose()
        {
            owner.running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(jobId, stop));
            stop.Dispose();
        }
    }
}
