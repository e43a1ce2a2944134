using NeoWorker.Enclave;
using NeoWorker.Persistence;
using NeoWorker.ServiceDefaults;
using NeoWorker.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddNeoWorkerLogging();
builder.Services.AddEnclavePool(builder.Configuration);
builder.Services.AddNeoWorkerPersistence(builder.Configuration);
builder.Services.AddJobExecution(builder.Configuration);
builder.Services.AddNeoWorkerMessaging(builder.Configuration, bus => bus.AddJobConsumers());
builder.Build().Run();
