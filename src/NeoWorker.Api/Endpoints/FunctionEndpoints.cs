using System.Data.Common;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NeoWorker.Api.Authentication;
using NeoWorker.Api.Jobs;
using NeoWorker.Api.Observability;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.Endpoints;

public static class FunctionEndpoints
{
    public static RouteGroupBuilder MapFunctionEndpoints(this IEndpointRouteBuilder app)
    {
        var functions = app.MapGroup("/api/v1/functions").RequireAuthorization().WithTags("Functions");
        functions.MapPost("/execute-javascript", ExecuteJavaScript);
        return functions;
    }

    /// <summary>
    /// Records the job and answers 202 with where to poll; with <c>?wait=N</c> it answers the finished
    /// job instead when it ends within N seconds. 503 when the job could not be recorded.
    /// </summary>
    internal static async Task<Results<Accepted<JobAccepted>, Ok<ExecutionResultView>, ValidationProblem, ProblemHttpResult>> ExecuteJavaScript(
        [FromBody] ExecuteJavaScriptRequest? request,
        [FromQuery] int? wait,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        JobSubmissions submissions,
        JobQueries queries,
        IOptions<ApiOptions> options,
        ClaimsPrincipal user,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (wait is < 0 || wait > options.Value.MaxWaitSeconds)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["wait"] = [$"wait must be between 0 and {options.Value.MaxWaitSeconds} seconds."],
            });
        }

        var caller = Caller.From(user);
        SubmissionResult submitted;
        try
        {
            submitted = await submissions.SubmitAsync(request, caller, idempotencyKey, CorrelationMiddleware.Of(http), cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            return Unavailable(http);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            return Unavailable(http);
        }

        switch (submitted)
        {
            case SubmissionResult.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "The request is invalid.");
            case SubmissionResult.Forbidden forbidden:
                return TypedResults.Problem(forbidden.Reason, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            case SubmissionResult.Conflict conflict:
                return TypedResults.Problem(conflict.Reason, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        var jobId = ((SubmissionResult.Accepted)submitted).JobId;
        if (wait is > 0)
        {
            var finished = await queries.WaitForCompletionAsync(jobId, caller, TimeSpan.FromSeconds(wait.Value), cancellationToken)
                .ConfigureAwait(false);
            if (finished is not null && Enum.Parse<JobStatus>(finished.Status).IsTerminal())
            {
                return TypedResults.Ok(ExecutionResultView.From(finished));
            }
        }

        var statusUrl = $"/api/v1/jobs/{jobId}";
        return TypedResults.Accepted(statusUrl, new JobAccepted(jobId, nameof(JobStatus.Queued), statusUrl));
    }

    private static ProblemHttpResult Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem("The job could not be recorded because the database is unavailable; nothing was accepted. Retry later.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");
    }
}
