using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Dashboard;

/// <summary>
/// The API as the fixture configures it, but on a real Kestrel port on 127.0.0.1, because a browser
/// cannot reach WebApplicationFactory's in-memory TestServer.
/// </summary>
internal sealed class KestrelApi : IAsyncDisposable
{
    private readonly ApiFactory _factory;

    private KestrelApi(ApiFactory factory, Uri baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <param name="settings">Configuration over the fixture's (e.g. a tight rate limit).</param>
    public static KestrelApi Start(ServicesFixture services, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new ApiFactory(services.Services, services.Sealing.PublicKeyFile, services.Attestation.RootFile, settings);
        factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without an address.");
        return new KestrelApi(factory, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
