using NeoWorker.Api;
using NeoWorker.Api.ApiKeys;
using NeoWorker.Api.Authentication;
using NeoWorker.Api.Dashboard;
using NeoWorker.Api.Endpoints;
using NeoWorker.Api.Observability;
using NeoWorker.Api.RateLimiting;
using NeoWorker.Enclave;
using NeoWorker.Persistence;
using NeoWorker.ServiceDefaults;
using NeoWorker.ServiceDefaults.Observability;

if (ApiKeyCommand.IsInvoked(args))
{
    return await ApiKeyCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddNeoWorkerLogging();
builder.Services.AddTeeOptions(builder.Configuration);
builder.Services.AddNeoWorkerPersistence(builder.Configuration);
builder.Services.AddNeoWorkerMessaging(builder.Configuration);
builder.Services.AddApiKeyAuthentication();
builder.Services.AddPerKeyRateLimiting(builder.Configuration);
builder.Services.AddNeoWorkerApi(builder.Configuration);
builder.Services.AddNeoWorkerMetrics();
builder.Services.AddNeoWorkerOpenApi();

var app = builder.Build();
app.UseMiddleware<CorrelationMiddleware>();
app.UseNeoWorkerErrorHandling();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.MapFunctionEndpoints();
app.MapJobEndpoints();
app.MapCallerEndpoints();
app.MapSecretEndpoints();
app.MapDashboard();
app.MapTeeEndpoints();
app.MapAttestationEndpoints();
app.MapNeoWorkerHealthChecks();
app.MapNeoWorkerMetrics();
app.MapOpenApi();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
