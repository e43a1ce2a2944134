using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Worker;

/// <summary>How the worker takes messages (section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>
    /// Commands worked on at once per enclave: while one runs in the enclave, the next is recorded and claimed
    /// (and the one before stored and its event published), so the enclave does not wait for the database or
    /// the broker between jobs. Jobs beyond the enclaves wait for a free one, claimed (their lease is renewed).
    /// </summary>
    [Range(1, 16)]
    public int JobsInFlightPerEnclave { get; set; } = 2;

    /// <summary>Messages fetched ahead per enclave beyond those in flight; a little read-ahead hides broker latency.</summary>
    [Range(1, 64)]
    public int PrefetchPerEnclave { get; set; } = 2;

    /// <summary>Infrastructure retries (database, broker, enclave unavailable) before the job ends Faulted.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 8;

    /// <summary>How long past a job's own time limit its claim lasts, in case this worker dies under it.</summary>
    [Range(1, 600)]
    public int LeaseGraceSeconds { get; set; } = 15;

    /// <summary>
    /// How often the worker looks for Running jobs whose lease has passed (their worker died) and hands them back
    /// to the queue. Every worker does it; a job is taken by one only.
    /// </summary>
    [Range(1, 3600)]
    public int LeaseSweepSeconds { get; set; } = 5;

    /// <summary>
    /// Graceful shutdown (SIGTERM): the worker stops taking messages at once and gives the jobs it is
    /// running this long to finish and publish their events; jobs still running then are stopped,
    /// handed back (Queued) and their commands returned to the queue. The host's own shutdown timeout
    /// is derived from it (<see cref="WorkerShutdown"/>), so an orchestrator's grace period must be
    /// longer than this plus <see cref="WorkerShutdown.Margin"/>.
    /// </summary>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 25;

    /// <summary>
    /// A command body larger than this cannot hold a valid job (code, input and secrets have their own,
    /// smaller limits); it goes to the error queue unread instead of into the database.
    /// </summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int MaxCommandBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How often, while jobs run, the worker looks for cancel requests on them.</summary>
    [Range(50, 10_000)]
    public int CancelPollMs { get; set; } = 250;

    /// <summary>
    /// Seconds of idleness (no job running, almost no allocation) after which the worker runs one full,
    /// compacting collection to give memory back (large inputs leave large garbage the GC would otherwise
    /// keep while nothing allocates); 0 turns it off.
    /// </summary>
    [Range(0, 3600)]
    public int IdleTrimSeconds { get; set; } = 10;
}
