using MassTransit;

namespace NeoWorker.Worker.Consumers;

public sealed class ExecuteJavaScriptFaultConsumerDefinition : ConsumerDefinition<ExecuteJavaScriptFaultConsumer>
{
    public ExecuteJavaScriptFaultConsumerDefinition()
    {
        EndpointName = "execute-javascript-fault";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExecuteJavaScriptFaultConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
            retry.Exponential(10, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)));
    }
}
