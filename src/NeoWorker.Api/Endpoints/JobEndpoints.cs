using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NeoWorker.Api.Authentication;
using NeoWorker.Api.Jobs;

namespace NeoWorker.Api.Endpoints;

public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").RequireAuthorization().WithTags("Jobs");
        jobs.MapGet("/{jobId:guid}", GetJob);
        return jobs;
    }

    /// <summary>A tenant asking for another user's job gets 404, as if it did not exist.</summary>
    internal static async Task<Results<Ok<JobView>, NotFound<ProblemDetails>>> GetJob(
        Guid jobId, JobQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await queries.FindAsync(jobId, Caller.From(user), cancellationToken).ConfigureAwait(false) is { } job
            ? TypedResults.Ok(job)
            : TypedResults.NotFound(new ProblemDetails { Title = "Not found", Detail = $"No job {jobId}.", Status = 404 });
}
