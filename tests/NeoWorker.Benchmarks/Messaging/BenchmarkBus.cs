using System.Diagnostics;
using MassTransit;
using NeoWorker.Contracts;

namespace NeoWorker.Benchmarks.Messaging;

/// <summary>
/// The benchmark's one bus: a temporary (exclusive, auto-delete) queue receiving NeoWorker's
/// completion events and the ceiling's events, and the ceiling's no-op consumer on its own queue,
/// configured like the worker's <c>execute-javascript</c> endpoint (quorum queue, one message per
/// enclave slot at a time, prefetch two per slot, publisher confirms).
/// </summary>
internal sealed class BenchmarkBus : IAsyncDisposable
{
    /// <summary>Jobs whose functionId starts with this are the benchmark's; other events are ignored.</summary>
    public const string FunctionPrefix = "bench-";

    public const string CeilingQueue = "neoworker-bench-ceiling";

    private BenchmarkBus(IBusControl bus, CompletionTracker tracker, Guid runId, string eventQueue)
    {
        Bus = bus;
        Tracker = tracker;
        RunId = runId;
        EventQueue = eventQueue;
    }

    public IBusControl Bus { get; }
    public CompletionTracker Tracker { get; }
    public Guid RunId { get; }
    public string EventQueue { get; }

    public static async Task<BenchmarkBus> StartAsync(BenchmarkOptions options, int slots, CancellationToken cancellationToken)
    {
        var tracker = new CompletionTracker();
        var runId = Guid.NewGuid();
        var eventQueue = $"neoworker-bench-events-{runId:N}";
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(options.RabbitHost, (ushort)options.RabbitPort, options.RabbitVirtualHost, host =>
            {
                host.Username(options.RabbitUsername);
                host.Password(options.RabbitPassword);
                host.PublisherConfirmation = true;
            });

            rabbit.ReceiveEndpoint(eventQueue, endpoint =>
            {
                endpoint.Durable = false;
                endpoint.AutoDelete = true;
                endpoint.Exclusive = true;
                endpoint.PrefetchCount = 512;
                endpoint.ConcurrentMessageLimit = 16;
                endpoint.Handler<JavaScriptExecutionCompleted>(context =>
                {
                    var message = context.Message;
                    if (message.FunctionId?.StartsWith(FunctionPrefix, StringComparison.Ordinal) == true)
                    {
                        tracker.Complete(message.JobId, new Completion(message.Status, message.Result, message.ErrorCode, message.Error,
                            message.ExecutionTimeMs, message.GasUsed, Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow, message.Proof is not null));
                    }

                    return Task.CompletedTask;
                });
                endpoint.Handler<CeilingCompleted>(context =>
                {
                    var message = context.Message;
                    if (message.RunId == runId)
                    {
                        tracker.Complete(message.JobId, new Completion(message.Status, message.Result, null, null, 0, 0,
                            Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow));
                    }

                    return Task.CompletedTask;
                });
            });

            rabbit.ReceiveEndpoint(CeilingQueue, endpoint =>
            {
                endpoint.SetQuorumQueue();
                // As the worker's endpoint with its defaults: 2 commands in flight and 2 prefetched per enclave.
                endpoint.PrefetchCount = slots * 4;
                endpoint.ConcurrentMessageLimit = slots * 2;
                endpoint.Handler<CeilingCommand>(context => context.Publish(new CeilingCompleted(
                    context.Message.RunId, context.Message.JobId, context.Message.FunctionId, context.Message.UserId,
                    JobStatuses.Succeeded, null, DateTimeOffset.UtcNow)));
            });
        });

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await bus.StartAsync(timeout.Token).ConfigureAwait(false);
        return new BenchmarkBus(bus, tracker, runId, eventQueue);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Bus.StopAsync(timeout.Token).ConfigureAwait(false);
    }
}
