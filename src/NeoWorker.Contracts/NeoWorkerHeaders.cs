namespace NeoWorker.Contracts;

/// <summary>Message headers NeoWorker reads besides the message body.</summary>
public static class NeoWorkerHeaders
{
    /// <summary>
    /// Ties a job's log lines together across services: the API sets it from the HTTP request
    /// (the caller's <c>X-Correlation-Id</c>, or one it made); direct publishers may set it too.
    /// </summary>
    public const string CorrelationId = "X-Correlation-Id";
}
