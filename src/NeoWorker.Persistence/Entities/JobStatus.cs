namespace NeoWorker.Persistence.Entities;

/// <summary>Queued → Running → one terminal state. Stored by name.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Faulted,
    Canceled,
}
