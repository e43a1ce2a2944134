using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>The API in-process on the same PostgreSQL and RabbitMQ as the worker process.</summary>
internal sealed class ApiFactory(ServiceEndpoints services, string sealingPublicKeyFile, string simulationRootFile) : WebApplicationFactory<Program>
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
    }
}
