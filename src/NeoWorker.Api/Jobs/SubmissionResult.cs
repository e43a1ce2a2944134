namespace NeoWorker.Api.Jobs;

/// <summary>What happened to a submission: accepted (with its job), invalid (errors per field) or forbidden.</summary>
public abstract record SubmissionResult
{
    public sealed record Accepted(Guid JobId) : SubmissionResult;

    public sealed record Invalid(IDictionary<string, string[]> Errors) : SubmissionResult;

    public sealed record Forbidden(string Reason) : SubmissionResult;

    /// <summary>The Idempotency-Key was used before with a different request.</summary>
    public sealed record Conflict(string Reason) : SubmissionResult;
}
