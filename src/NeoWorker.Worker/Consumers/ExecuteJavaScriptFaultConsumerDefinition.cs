using MassTransit;
using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;

namespace NeoWorker.Worker.Consumers;

/// <summary>
/// Records faults of commands. Its retries ride out a database outage and outlast the longest lease a job can
/// have (a job still held by a live claim is faulted only once that claim has finished or passed).
/// </summary>
public sealed class ExecuteJavaScriptFaultConsumerDefinition : ConsumerDefinition<ExecuteJavaScriptFaultConsumer>
{
    private readonly int _retryLimit;

    public ExecuteJavaScriptFaultConsumerDefinition(IOptions<TeeOptions> tee, IOptions<WorkerOptions> worker)
    {
        EndpointName = "execute-javascript-fault";
        // The first six retries span about a minute, every further one a minute (the longest interval); twice
        // the longest lease in minutes on top, so even the shortest jitter (x0.75) outlasts it.
        var longestLeaseSeconds = tee.Value.Occlum.MaxExecutionTimeSeconds + (tee.Value.WatchdogGraceMs / 1000) + 1 + worker.Value.LeaseGraceSeconds;
        _retryLimit = 6 + (2 * (int)Math.Ceiling(longestLeaseSeconds / 60.0));
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExecuteJavaScriptFaultConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
            retry.Exponential(_retryLimit, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)));
    }
}
