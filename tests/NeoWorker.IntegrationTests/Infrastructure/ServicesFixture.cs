using Microsoft.EntityFrameworkCore;
using NeoWorker.Attestation;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>
/// Real RabbitMQ and PostgreSQL, a worker process with two simulated enclaves, the API in-process,
/// a subscriber for completion events, and two tenants with their own API keys.
/// </summary>
public sealed class ServicesFixture : IAsyncLifetime
{
    public const int MaxExecutionTimeSeconds = 5;
    public const int JobMemoryMB = 64;

    private ServiceEndpoints? _services;
    private WorkerProcess? _worker;
    private ApiFactory? _api;
    private CompletionListener? _listener;
    private ConsoleCapture? _console;

    internal ServiceEndpoints Services => _services ?? throw NotStarted();

    internal WorkerProcess Worker => _worker ?? throw NotStarted();

    internal CompletionListener Events => _listener ?? throw NotStarted();

    /// <summary>What the in-process API (and anything else in this process) wrote to the console.</summary>
    internal string ApiOutput => _console?.Text ?? "";

    /// <summary>When the fixture started; files changed since then are this run's.</summary>
    internal DateTime StartedAtUtc { get; } = DateTime.UtcNow;

    internal TestTenant Tenant { get; private set; } = null!;

    internal TestTenant OtherTenant { get; private set; } = null!;

    /// <summary>An ops key: sees every user's jobs.</summary>
    internal TestTenant Operator { get; private set; } = null!;

    /// <summary>The worker process's management address (health and metrics).</summary>
    internal Uri WorkerUrl { get; } = new($"http://127.0.0.1:{FreePort()}");

    /// <summary>This run's fleet sealing key pair: public half to the API, private half to the worker's enclaves.</summary>
    internal SealingKeys Sealing { get; } = SealingKeys.Create();

    /// <summary>This run's simulation root and simulated PCK (per deployment, as ops/up.sh makes them).</summary>
    internal SimulationAttestation Attestation { get; } = SimulationAttestation.Create();

    public async Task InitializeAsync()
    {
        _services = await ServiceEndpoints.ResolveAsync();
        Tenant = await CreateTenantAsync("it-tenant");
        OtherTenant = await CreateTenantAsync("it-other");
        Operator = await CreateTenantAsync("it-ops", "ops");
        _listener = await CompletionListener.StartAsync(_services);

        var environment = new Dictionary<string, string>(_services.AsEnvironment())
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/tmp",
            ["Urls"] = WorkerUrl.ToString(),
            ["Tee__Type"] = "Simulation",
            ["Tee__EnclavePath"] = RepositoryPaths.Runner,
            ["Tee__Workers"] = "2",
            ["Tee__Occlum__MaxExecutionTimeSeconds"] = MaxExecutionTimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tee__Limits__JobMemoryMB"] = JobMemoryMB.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tee__Simulation__SealingKeyFiles__0"] = Sealing.PrivateKeyFile,
            ["Tee__Simulation__AttestationKeyFile"] = Attestation.PckKeyFile,
            ["Tee__Simulation__AttestationChainFile"] = Attestation.PckChainFile,
        };
        _worker = await WorkerProcess.StartAsync(environment, TimeSpan.FromSeconds(90));
        _console = ConsoleCapture.Install();
        _api = new ApiFactory(_services, Sealing.PublicKeyFile, Attestation.RootFile);
    }

    internal HttpClient CreateClient(TestTenant? tenant)
    {
        var client = (_api ?? throw NotStarted()).CreateClient();
        return tenant is null ? client : tenant.Authorize(client);
    }

    internal NeoWorkerDbContext CreateDb()
    {
        var options = new DbContextOptionsBuilder<NeoWorkerDbContext>();
        NpgsqlContextOptions.Apply(options, Services.Postgres);
        return new NeoWorkerDbContext(options.Options);
    }

    /// <summary>Another instance of the API on the same services, with its own settings (rate limits, say).</summary>
    internal HttpClient CreateClient(TestTenant tenant, IReadOnlyDictionary<string, string> settings, out IAsyncDisposable api)
    {
        var factory = new ApiFactory(Services, Sealing.PublicKeyFile, Attestation.RootFile, settings);
        api = factory;
        return tenant.Authorize(factory.CreateClient());
    }

    internal async Task<TestTenant> CreateTenantAsync(string prefix, string role = "tenant")
    {
        var userId = $"{prefix}-{Guid.NewGuid():N}"[..24];
        var key = $"nwk_test_{Guid.NewGuid():N}{Guid.NewGuid():N}";
        await using var db = CreateDb();
        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.NewGuid(),
            Name = userId,
            KeyHash = ContentHash.Sha256Hex(key),
            UserId = userId,
            Role = role,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return new TestTenant(userId, key);
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Sealing.Dispose();
        Attestation.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static InvalidOperationException NotStarted() => new("The services fixture has not started.");
}
