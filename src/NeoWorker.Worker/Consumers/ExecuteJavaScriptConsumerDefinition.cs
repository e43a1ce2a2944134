using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;
using NeoWorker.ServiceDefaults;
using Npgsql;

namespace NeoWorker.Worker.Consumers;

/// <summary>
/// A few messages per enclave at a time (<see cref="WorkerOptions.JobsInFlightPerEnclave"/>), a little prefetch, and retries with exponential backoff and jitter
/// for infrastructure faults only: a function's own error is a result and never throws, a command that can
/// never be recorded is not retried. Every message that leaves the queue unprocessed (unreadable, not a
/// command, invalid, retries exhausted) goes to <c>execute-javascript_error</c> with its reason logged.
/// </summary>
public sealed class ExecuteJavaScriptConsumerDefinition : ConsumerDefinition<ExecuteJavaScriptConsumer>
{
    private readonly TeeOptions _tee;
    private readonly WorkerOptions _worker;
    private readonly RabbitMqOptions _rabbit;
    private readonly ILogger _logger;

    public ExecuteJavaScriptConsumerDefinition(IOptions<TeeOptions> tee, IOptions<WorkerOptions> worker, IOptions<RabbitMqOptions> rabbit,
        ILogger<ExecuteJavaScriptConsumerDefinition> logger)
    {
        _tee = tee.Value;
        _worker = worker.Value;
        _rabbit = rabbit.Value;
        _logger = logger;
        EndpointName = "execute-javascript";
        ConcurrentMessageLimit = _tee.Workers * _worker.JobsInFlightPerEnclave;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExecuteJavaScriptConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _tee.Workers * (_worker.JobsInFlightPerEnclave + _worker.PrefetchPerEnclave);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit && _rabbit.UseQuorumQueues)
        {
            rabbit.SetQuorumQueue();
        }

        var errorLog = new ErrorQueueLogFilter(_logger);
        endpointConfigurator.ConfigureError(error =>
        {
            error.UseFilter(errorLog);
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
        endpointConfigurator.ConfigureDeadLetter(deadLetter => deadLetter.UseFilter(new UnconsumedToErrorQueueFilter(errorLog)));

        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Exponential(_worker.RetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300));
            retry.Ignore<InvalidCommandException>();
            // Data and integrity errors do not go away on a retry (a broken schema or connection does).
            retry.Ignore<PostgresException>(e => e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("23", StringComparison.Ordinal));
        });
    }
}
