using NeoWorker.Enclave;
using NeoWorker.Persistence;
using NeoWorker.ServiceDefaults;
using NeoWorker.ServiceDefaults.Observability;
using NeoWorker.Worker;

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
app.Run();
