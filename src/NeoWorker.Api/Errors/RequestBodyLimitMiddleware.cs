using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace NeoWorker.Api.Errors;

/// <summary>
/// Refuses a body whose declared length is over Api:MaxRequestBodyBytes with 413 before reading
/// any of it. Kestrel enforces the same limit on bodies without a length (chunked) as they stream.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<ApiOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.ContentLength > options.Value.MaxRequestBodyBytes)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "The request body is too large.",
                    Detail = $"The body is over {options.Value.MaxRequestBodyBytes} bytes (Api:MaxRequestBodyBytes).",
                },
            }).ConfigureAwait(false);
            return;
        }

        await next(http).ConfigureAwait(false);
    }
}
