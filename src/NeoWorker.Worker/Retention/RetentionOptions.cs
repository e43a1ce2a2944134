using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Worker.Retention;

/// <summary>
/// Section <c>Retention</c>: how long finished jobs stay in PostgreSQL. Every worker runs the job;
/// concurrent passes skip each other's rows, so running it on all of them is harmless.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>When false the worker never deletes jobs (archive them some other way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A finished job is deleted once it completed (and was requested) more than this many days ago.
    /// Also the window in which a redelivered command or a repeated JobId is recognised as already run.
    /// </summary>
    [Range(1, 36_500, ErrorMessage = "Retention:KeepDays must be between {1} and {2} (days).")]
    public int KeepDays { get; set; } = 30;

    /// <summary>Minutes between passes; the first pass runs when the worker starts.</summary>
    [Range(1, 10_080, ErrorMessage = "Retention:IntervalMinutes must be between {1} and {2} (minutes).")]
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>Jobs deleted per transaction, so no pass holds row locks or a long transaction.</summary>
    [Range(1, 100_000, ErrorMessage = "Retention:BatchSize must be between {1} and {2} (jobs per transaction).")]
    public int BatchSize { get; set; } = 1000;
}
