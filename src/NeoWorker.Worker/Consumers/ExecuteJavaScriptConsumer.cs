using MassTransit;
using Microsoft.Extensions.Options;
using NeoWorker.Contracts;
using NeoWorker.Worker.Jobs;

namespace NeoWorker.Worker.Consumers;

public sealed class ExecuteJavaScriptConsumer(JobRunner runner, IOptions<WorkerOptions> options, ILogger<ExecuteJavaScriptConsumer> logger)
    : IConsumer<ExecuteJavaScript>
{
    public Task Consume(ConsumeContext<ExecuteJavaScript> context)
    {
        if (CommandCheck.Problem(context.Message, context.ReceiveContext.Body.Length, options.Value.MaxCommandBytes) is { } problem)
        {
            // Nothing can be recorded for it: never retried, the message goes to the _error queue with the
            // reason (logged by ErrorQueueLogFilter) and the consumer carries on with the next one.
            throw new InvalidCommandException(problem);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["JobId"] = context.Message.JobId,
            ["FunctionId"] = context.Message.FunctionId ?? "",
            ["UserId"] = context.Message.UserId ?? "",
        });
        return runner.RunAsync(context.Message, context, context.CancellationToken);
    }
}
