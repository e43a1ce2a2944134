using NeoWorker.Enclave;
using NeoWorker.Persistence;
using NeoWorker.ServiceDefaults;
using NeoWorker.ServiceDefaults.Observability;
using NeoWorker.Worker;
using NeoWorker.Worker.KeyRelease;

// The operator's command (ops/release_sealing_key.sh): answers enclaves' sealing-key requests; runs no worker.
if (ReleaseKeyCommand.IsInvoked(args))
{
    return await ReleaseKeyCommand.RunAsync(args, Console.Out, Console.Error);
}

// A web host only for its management port (Urls; /health/live, /health/ready, /metrics): jobs come from RabbitMQ.
var builder = WebApplication.CreateBuilder(args);
builder.AddNeoWorkerLogging();
builder.Services.AddEnclavePool(builder.Configuration);
builder.Services.AddNeoWorkerPersistence(builder.Configuration);
builder.Services.AddJobExecution(builder.Configuration);
builder.Services.AddNeoWorkerMessaging(builder.Configuration, bus => bus.AddJobConsumers());
builder.Services.AddNeoWorkerMetrics();

var app = builder.Build();
app.MapNeoWorkerHealthChecks();
app.MapNeoWorkerMetrics();
await app.RunAsync();
return 0;
