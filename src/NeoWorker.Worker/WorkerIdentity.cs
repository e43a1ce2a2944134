namespace NeoWorker.Worker;

/// <summary>Names this worker process in the jobs it holds.</summary>
public sealed class WorkerIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
