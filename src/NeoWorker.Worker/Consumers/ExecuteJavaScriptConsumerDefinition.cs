using MassTransit;
using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;
using NeoWorker.ServiceDefaults;

namespace NeoWorker.Worker.Consumers;

/// <summary>
/// One message per enclave at a time, a little prefetch, and retries with backoff and jitter for
/// infrastructure faults only: a function's own error is a result and never throws.
/// </summary>
public sealed class ExecuteJavaScriptConsumerDefinition : ConsumerDefinition<ExecuteJavaScriptConsumer>
{
    private readonly TeeOptions _tee;
    private readonly WorkerOptions _worker;
    private readonly RabbitMqOptions _rabbit;

    public ExecuteJavaScriptConsumerDefinition(IOptions<TeeOptions> tee, IOptions<WorkerOptions> worker, IOptions<RabbitMqOptions> rabbit)
    {
        _tee = tee.Value;
        _worker = worker.Value;
        _rabbit = rabbit.Value;
        EndpointName = "execute-javascript";
        ConcurrentMessageLimit = _tee.Workers;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExecuteJavaScriptConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _tee.Workers * _worker.PrefetchPerEnclave;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit && _rabbit.UseQuorumQueues)
        {
            rabbit.SetQuorumQueue();
        }

        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Exponential(_worker.RetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300));
            retry.Ignore<InvalidCommandException>();
        });
    }
}
