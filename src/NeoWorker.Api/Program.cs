using NeoWorker.Api;
using NeoWorker.Api.Authentication;
using NeoWorker.Api.Dashboard;
using NeoWorker.Api.Endpoints;
using NeoWorker.Api.Health;
using NeoWorker.Enclave;
using NeoWorker.Persistence;
using NeoWorker.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddNeoWorkerLogging();
builder.Services.AddTeeOptions(builder.Configuration);
builder.Services.AddNeoWorkerPersistence(builder.Configuration);
builder.Services.AddNeoWorkerMessaging(builder.Configuration);
builder.Services.AddApiKeyAuthentication();
builder.Services.AddNeoWorkerApi(builder.Configuration);

var app = builder.Build();
app.UseNeoWorkerErrorHandling();
app.UseAuthentication();
app.UseAuthorization();
app.MapFunctionEndpoints();
app.MapJobEndpoints();
app.MapSecretEndpoints();
app.MapDashboard();
app.MapTeeEndpoints();
app.MapAttestationEndpoints();
app.MapNeoWorkerHealthChecks();
app.Run();

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
