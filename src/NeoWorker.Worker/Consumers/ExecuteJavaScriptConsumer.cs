using MassTransit;
using Microsoft.Extensions.Options;
using NeoWorker.Contracts;
using NeoWorker.Worker.Jobs;

namespace NeoWorker.Worker.Consumers;

public sealed class ExecuteJavaScriptConsumer(JobRunner runner, JobMetrics metrics, IOptions<WorkerOptions> options, ILogger<ExecuteJavaScriptConsumer> logger)
    : IConsumer<ExecuteJavaScript>
{
    public Task Consume(ConsumeContext<ExecuteJavaScript> context)
    {
        if (context.GetRetryAttempt() > 0 || context.GetRedeliveryCount() > 0)
        {
            metrics.MessageRetried();
        }

        if (CommandCheck.Problem(context.Message, context.ReceiveContext.Body.Length, options.Value.MaxCommandBytes) is { } problem)
        {
            // Nothing can be recorded for it: never retried, the message goes to the _error queue with the
            // reason (logged by ErrorQueueLogFilter) and the consumer carries on with the next one.
            throw new InvalidCommandException(problem);
        }

        var correlationId = CorrelationIdOf(context);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["JobId"] = context.Message.JobId,
            ["FunctionId"] = context.Message.FunctionId ?? "",
            ["UserId"] = context.Message.UserId ?? "",
            ["CorrelationId"] = correlationId,
        });
        return runner.RunAsync(context.Message, correlationId, context, context.CancellationToken);
    }

    /// <summary>The API's header, else MassTransit's own CorrelationId a direct publisher may set, else the JobId.</summary>
    internal static string CorrelationIdOf(ConsumeContext<ExecuteJavaScript> context) =>
        context.Headers.Get<string>(NeoWorkerHeaders.CorrelationId) is { Length: > 0 and <= 64 } header
            ? header
            : (context.CorrelationId ?? context.Message.JobId).ToString("N");
}
