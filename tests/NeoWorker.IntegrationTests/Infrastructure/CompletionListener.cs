using System.Collections.Concurrent;
using MassTransit;
using NeoWorker.Contracts;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>
/// A subscriber as a real one would be: its own bus and temporary queue bound to
/// <see cref="JavaScriptExecutionCompleted"/>. Also the tests' publisher of direct commands.
/// </summary>
internal sealed class CompletionListener : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<JavaScriptExecutionCompleted>> _events = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<JavaScriptExecutionCompleted>> _first = new();
    private IBusControl? _bus;

    public IBus Bus => _bus ?? throw new InvalidOperationException("The listener is not started.");

    public static async Task<CompletionListener> StartAsync(ServiceEndpoints services)
    {
        var listener = new CompletionListener();
        listener._bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(services.RabbitHost, (ushort)services.RabbitPort, services.RabbitVirtualHost, host =>
            {
                host.Username(services.RabbitUsername);
                host.Password(services.RabbitPassword);
                host.PublisherConfirmation = true;
            });
            rabbit.ReceiveEndpoint($"neoworker-tests-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.PrefetchCount = 256;
                endpoint.Handler<JavaScriptExecutionCompleted>(context =>
                {
                    listener.Record(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        await listener._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token).ConfigureAwait(false);
        return listener;
    }

    private void Record(JavaScriptExecutionCompleted completed)
    {
        _events.GetOrAdd(completed.JobId, _ => new()).Enqueue(completed);
        FirstOf(completed.JobId).TrySetResult(completed);
    }

    private TaskCompletionSource<JavaScriptExecutionCompleted> FirstOf(Guid jobId) =>
        _first.GetOrAdd(jobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task<JavaScriptExecutionCompleted> WaitForAsync(Guid jobId, TimeSpan timeout) =>
        FirstOf(jobId).Task.WaitAsync(timeout);

    public IReadOnlyList<JavaScriptExecutionCompleted> EventsFor(Guid jobId) =>
        _events.TryGetValue(jobId, out var events) ? [.. events] : [];

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).ConfigureAwait(false);
        }
    }
}
