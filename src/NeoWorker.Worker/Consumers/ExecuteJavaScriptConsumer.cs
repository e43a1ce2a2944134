using MassTransit;
using NeoWorker.Contracts;
using NeoWorker.Worker.Jobs;

namespace NeoWorker.Worker.Consumers;

public sealed class ExecuteJavaScriptConsumer(JobRunner runner, ILogger<ExecuteJavaScriptConsumer> logger) : IConsumer<ExecuteJavaScript>
{
    public Task Consume(ConsumeContext<ExecuteJavaScript> context)
    {
        if (context.Message.JobId == Guid.Empty)
        {
            // Nothing to record or answer to; the message goes to the _error queue for inspection.
            Log.CommandWithoutJobId(logger);
            throw new InvalidCommandException("ExecuteJavaScript.JobId is required.");
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
