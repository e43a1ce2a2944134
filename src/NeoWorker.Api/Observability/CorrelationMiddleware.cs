using System.Text.RegularExpressions;
using NeoWorker.Contracts;

namespace NeoWorker.Api.Observability;

/// <summary>
/// Gives every request a correlation id — the caller's <c>X-Correlation-Id</c> when it is a sane
/// token, else a new one — echoes it in the response, and puts it in the log scope of everything
/// the request logs. Jobs keep it, the dispatcher sends it as a message header, and the worker logs
/// the job's execution (enclave included) under it.
/// </summary>
internal sealed partial class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    private const string ItemKey = "NeoWorker.CorrelationId";

    public static string Of(HttpContext http) => http.Items[ItemKey] as string ?? http.TraceIdentifier;

    public async Task InvokeAsync(HttpContext http)
    {
        var presented = http.Request.Headers[NeoWorkerHeaders.CorrelationId].ToString();
        var correlationId = SaneToken().IsMatch(presented) ? presented : Guid.NewGuid().ToString("N");
        http.Items[ItemKey] = correlationId;
        http.Response.Headers[NeoWorkerHeaders.CorrelationId] = correlationId;
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId }))
        {
            await next(http).ConfigureAwait(false);
        }
    }

    // Letters, digits and - _ . : only, at most 64: it goes into logs and headers as it is.
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex SaneToken();
}
