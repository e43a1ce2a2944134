using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>The API in-process on the same PostgreSQL and RabbitMQ as the worker process.</summary>
internal sealed class ApiFactory(ServiceEndpoints services, string sealingPublicKeyFile, string simulationRootFile,
    IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in services.AsEnvironment())
        {
            builder.UseSetting(key.Replace("__", ":", StringComparison.Ordinal), value);
        }

        builder.UseSetting("Sealing:PublicKeyFile", sealingPublicKeyFile);
        builder.UseSetting("Attestation:SimulationRootFile", simulationRootFile);
        builder.UseSetting("Attestation:AllowSimulated", "true");
        builder.UseSetting("Tee:Occlum:MaxExecutionTimeSeconds", ServicesFixture.MaxExecutionTimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Tests fire requests far faster than a client would; the rate limit has its own test.
        builder.UseSetting("RateLimit:PermitsPerSecond", "100000");
        builder.UseSetting("RateLimit:Burst", "100000");
        builder.UseSetting("Api:KeyCacheSeconds", "1");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
