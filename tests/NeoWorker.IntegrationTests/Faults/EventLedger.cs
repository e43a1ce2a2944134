using System.Collections.Concurrent;
using MassTransit;
using NeoWorker.Contracts;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// A subscriber that survives a broker restart: its own durable queue bound to
/// <see cref="JavaScriptExecutionCompleted"/> (deleted at the end), every event kept with the time it
/// arrived. Also the publisher of the streams' direct commands, as a separate service would be.
/// </summary>
internal sealed class EventLedger : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<JavaScriptExecutionCompleted>> _events = new();
    private readonly ConcurrentQueue<(DateTime At, Guid JobId)> _arrivals = new();
    private IBusControl? _bus;

    private EventLedger(string queueName) => QueueName = queueName;

    public string QueueName { get; }

    public IBus Bus => _bus ?? throw new InvalidOperationException("The ledger is not started.");

    public static async Task<EventLedger> StartAsync(ServiceEndpoints services)
    {
        var ledger = new EventLedger($"neoworker-faults-events-{Guid.NewGuid():N}");
        ledger._bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(services.RabbitHost, (ushort)services.RabbitPort, services.RabbitVirtualHost, host =>
            {
                host.Username(services.RabbitUsername);
                host.Password(services.RabbitPassword);
                host.PublisherConfirmation = true;
            });
            rabbit.ReceiveEndpoint(ledger.QueueName, endpoint =>
            {
                endpoint.Durable = true;
                endpoint.AutoDelete = false;
                endpoint.PrefetchCount = 256;
                endpoint.Handler<JavaScriptExecutionCompleted>(context =>
                {
                    ledger.Record(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        await ledger._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token).ConfigureAwait(false);
        return ledger;
    }

    private void Record(JavaScriptExecutionCompleted completed)
    {
        _events.GetOrAdd(completed.JobId, _ => new()).Enqueue(completed);
        _arrivals.Enqueue((DateTime.UtcNow, completed.JobId));
    }

    public IReadOnlyList<JavaScriptExecutionCompleted> EventsFor(Guid jobId) =>
        _events.TryGetValue(jobId, out var events) ? [.. events] : [];

    public bool HasEvent(Guid jobId) => _events.ContainsKey(jobId);

    /// <summary>Every event's arrival, in order.</summary>
    public IReadOnlyList<(DateTime At, Guid JobId)> Arrivals => [.. _arrivals];

    public async Task<JavaScriptExecutionCompleted> WaitForAsync(Guid jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (EventsFor(jobId) is [var first, ..])
            {
                return first;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"No completion event for job {jobId} within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).ConfigureAwait(false);
        }
    }
}
