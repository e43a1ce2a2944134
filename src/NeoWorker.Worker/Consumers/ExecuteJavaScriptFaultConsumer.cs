using MassTransit;
using NeoWorker.Contracts;
using NeoWorker.Worker.Jobs;

namespace NeoWorker.Worker.Consumers;

/// <summary>
/// A command whose retries ran out went to the _error queue; its job must not stay Queued or
/// Running forever, so it ends Faulted with the reason and subscribers hear of it.
/// </summary>
public sealed class ExecuteJavaScriptFaultConsumer(JobFaultRecorder recorder) : IConsumer<Fault<ExecuteJavaScript>>
{
    public Task Consume(ConsumeContext<Fault<ExecuteJavaScript>> context) =>
        recorder.RecordAsync(context.Message, context, context.CancellationToken);
}
