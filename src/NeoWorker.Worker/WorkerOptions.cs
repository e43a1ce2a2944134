using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Worker;

/// <summary>How the worker takes messages (section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Messages fetched ahead per enclave; a little read-ahead hides broker latency.</summary>
    [Range(1, 64)]
    public int PrefetchPerEnclave { get; set; } = 2;

    /// <summary>Infrastructure retries (database, broker, enclave unavailable) before the job ends Faulted.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 8;

    /// <summary>How long past a job's own time limit its claim lasts, in case this worker dies under it.</summary>
    [Range(1, 600)]
    public int LeaseGraceSeconds { get; set; } = 15;

    /// <summary>How often, while jobs run, the worker looks for cancel requests on them.</summary>
    [Range(50, 10_000)]
    public int CancelPollMs { get; set; } = 250;
}
