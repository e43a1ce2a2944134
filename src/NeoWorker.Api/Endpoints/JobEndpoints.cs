using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NeoWorker.Api.Authentication;
using NeoWorker.Api.Jobs;
using NeoWorker.Api.Jobs.Listing;
using NeoWorker.Api.Jobs.Stats;
using NeoWorker.Api.Observability;

namespace NeoWorker.Api.Endpoints;

public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").RequireAuthorization().WithTags("Jobs");
        jobs.MapGet("/", ListJobs);
        jobs.MapGet("/stats", GetStats);
        jobs.MapGet("/{jobId}", GetJob);
        jobs.MapPost("/{jobId}/cancel", CancelJob);
        return jobs;
    }

    /// <summary>Jobs newest first, filtered, one keyset page at a time; tenants see only their own.</summary>
    internal static async Task<Results<Ok<JobPage>, ValidationProblem, ProblemHttpResult>> ListJobs(
        [AsParameters] JobListQuery query, JobListing listing, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (!JobListFilter.TryParse(query, out var filter, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "The query is invalid.");
        }

        if (!caller.IsOps && filter.UserId is not null && filter.UserId != caller.UserId)
        {
            return TypedResults.Problem("A tenant key lists only its own user's jobs; userId may only name that user.",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        return TypedResults.Ok(await listing.ListAsync(filter, caller, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<Results<Ok<JobStats>, ValidationProblem>> GetStats(
        [FromQuery] string? windowMinutes, JobStatistics statistics, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var window = 60;
        if (windowMinutes is not null && (!int.TryParse(windowMinutes, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out window) || window is < 1 or > JobStatistics.MaxWindowMinutes))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["windowMinutes"] = [$"windowMinutes must be a whole number from 1 to {JobStatistics.MaxWindowMinutes}."],
            });
        }

        return TypedResults.Ok(await statistics.ComputeAsync(window, Caller.From(user), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A tenant asking for another user's job gets 404, as if it did not exist.</summary>
    internal static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>, ValidationProblem>> GetJob(
        string jobId, JobQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return InvalidJobId();
        }

        return await queries.FindAsync(id, Caller.From(user), cancellationToken).ConfigureAwait(false) is { } job
            ? TypedResults.Ok(job)
            : JobNotFound(id);
    }

    /// <summary>
    /// 200 with the Canceled job; 202 while a Running job is still being stopped; 409 with the job
    /// when it had already finished; 404 for a job the caller cannot see.
    /// </summary>
    internal static async Task<Results<Ok<JobView>, Accepted<JobView>, Conflict<JobView>, NotFound<ProblemDetails>, ValidationProblem>> CancelJob(
        string jobId, JobCancellation cancellation, ApiMetrics metrics, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            return InvalidJobId();
        }

        var outcome = await cancellation.CancelAsync(id, Caller.From(user), cancellationToken).ConfigureAwait(false);
        metrics.CancelRequested(outcome.GetType().Name);
        return outcome switch
        {
            CancelOutcome.Canceled canceled => TypedResults.Ok(canceled.Job),
            CancelOutcome.Stopping stopping => TypedResults.Accepted($"/api/v1/jobs/{id}", stopping.Job),
            CancelOutcome.AlreadyFinished finished => TypedResults.Conflict(finished.Job),
            _ => JobNotFound(id),
        };
    }

    private static ValidationProblem InvalidJobId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["jobId"] = ["jobId must be a GUID."] });

    private static NotFound<ProblemDetails> JobNotFound(Guid id) =>
        TypedResults.NotFound(new ProblemDetails { Title = "Not found", Detail = $"No job {id}.", Status = 404 });
}
