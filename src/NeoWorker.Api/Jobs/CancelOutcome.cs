namespace NeoWorker.Api.Jobs;

/// <summary>What a cancel request achieved.</summary>
public abstract record CancelOutcome
{
    private CancelOutcome()
    {
    }

    /// <summary>The job ended Canceled (it never ran, or its enclave stopped it).</summary>
    public sealed record Canceled(JobView Job) : CancelOutcome;

    /// <summary>The job is still stopping; poll it.</summary>
    public sealed record Stopping(JobView Job) : CancelOutcome;

    /// <summary>The job had already finished (or finished before it could be stopped).</summary>
    public sealed record AlreadyFinished(JobView Job) : CancelOutcome;

    public sealed record NotFound : CancelOutcome;
}
