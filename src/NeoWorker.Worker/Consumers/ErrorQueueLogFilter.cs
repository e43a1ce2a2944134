using MassTransit;

namespace NeoWorker.Worker.Consumers;

/// <summary>
/// Logs why a message leaves the command queue for its <c>_error</c> queue (it could not be read, it is
/// not a command, it is not a valid command, or its retries ran out), in the error pipe right before
/// MassTransit moves it. Exception types and messages only, never the body: it may hold code or input.
/// </summary>
internal sealed partial class ErrorQueueLogFilter(ILogger logger) : IFilter<ExceptionReceiveContext>
{
    private const int MaxReasonLength = 500;

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        LogMovedToErrorQueue(logger, context.GetMessageId()?.ToString() ?? "(none)", context.InputAddress.Segments[^1],
            context.Body.Length ?? -1, Reason(context.Exception));
        await next.Send(context).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("neoworker-error-log");

    /// <summary>The exception and its causes, one "Type: message" each.</summary>
    public static string Reason(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null && parts.Count < 4; current = current.InnerException)
        {
            parts.Add($"{current.GetType().Name}: {current.Message}");
        }

        var reason = string.Join(" <- ", parts).ReplaceLineEndings(" ");
        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength] + "…";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} ({BodyBytes} bytes) moved from {Queue} to its error queue: {Reason}")]
    private static partial void LogMovedToErrorQueue(ILogger logger, string messageId, string queue, long bodyBytes, string reason);
}
