using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace NeoWorker.Api.Errors;

/// <summary>
/// Every problem document names what was wrong without internals: a body that is not valid JSON,
/// or has a property this API does not know, names the JSON path; a 500 says only that it was ours
/// and carries the trace id to find it in the log. No exception text or stack trace reaches a client.
/// </summary>
internal static class ProblemDetailsCustomization
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        var exception = context.Exception ?? context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        switch (exception)
        {
            case BadHttpRequestException { InnerException: JsonException json }:
                problem.Title = "The request body is not valid for this endpoint.";
                problem.Detail = DescribeJsonError(json);
                break;
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                problem.Title = "The request body is too large.";
                problem.Detail = "The body exceeds Api:MaxRequestBodyBytes.";
                break;
            case BadHttpRequestException:
                problem.Title = "The request is malformed.";
                problem.Detail = null;
                break;
            case not null:
                problem.Title = "An internal error occurred.";
                problem.Detail = "The error was logged with this traceId.";
                break;
        }
    }

    private static string DescribeJsonError(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "the body" : json.Path;
        // System.Text.Json's own messages can echo parts of the body; say only where and what kind.
        return json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"{path}: unknown property; see /openapi/v1.json for the fields this endpoint takes."
            : $"{path}: not valid JSON or not the expected type.";
    }
}
