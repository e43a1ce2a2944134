using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NeoWorker.Attestation;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// What every fault scenario shares: the real PostgreSQL and RabbitMQ of ops/services.sh (which the scenarios
/// stop and start), the API as its own process, a durable event subscriber that also publishes direct
/// commands, and a tenant key. Workers are started per scenario (they are what gets killed).
/// </summary>
public sealed class FaultFixture : IAsyncLifetime
{
    /// <summary>
    /// The job time limit the stream's jobs ask for; with the settings below a claim's lease is 2 + 0.5 + 3 = 5.5 s,
    /// renewed every second to 5 s ahead while the worker holds it (on two busy cores a live worker can stall for
    /// seconds; the default grace is 15 s).
    /// </summary>
    public const int JobTimeoutMs = 2000;

    public const int MaxExecutionTimeSeconds = 5;

    private ServiceEndpoints? _services;
    private ApiProcess? _api;
    private EventLedger? _ledger;

    internal ServiceEndpoints Services => _services ?? throw NotStarted();

    internal ApiProcess Api => _api ?? throw NotStarted();

    internal EventLedger Events => _ledger ?? throw NotStarted();

    internal RabbitQueues Queues => new(Services);

    internal ServiceControl Control => new(Services);

    internal TestTenant Tenant { get; private set; } = null!;

    internal SealingKeys Sealing { get; } = SealingKeys.Create();

    internal SimulationAttestation Attestation { get; } = SimulationAttestation.Create();

    /// <summary>The figures of each scenario, for the README table (also written to .local/faults/).</summary>
    internal FaultReport Report { get; } = new();

    public async Task InitializeAsync()
    {
        _services = await ServiceEndpoints.ResolveAsync();
        Tenant = await CreateTenantAsync("faults");
        _ledger = await EventLedger.StartAsync(_services);
        var environment = new Dictionary<string, string>(_services.AsEnvironment())
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/tmp",
            ["Sealing__PublicKeyFile"] = Sealing.PublicKeyFile,
            ["Attestation__SimulationRootFile"] = Attestation.RootFile,
            ["Attestation__AllowSimulated"] = "true",
            ["Tee__Occlum__MaxExecutionTimeSeconds"] = MaxExecutionTimeSeconds.ToString(CultureInfo.InvariantCulture),
        };
        _api = await ApiProcess.StartAsync(environment, TimeSpan.FromSeconds(90));

        // Messages earlier tests left in the error queue are not this suite's.
        await Queues.PurgeAsync(RabbitQueues.ErrorQueue);
    }

    /// <summary>A worker process with two enclaves, short leases swept every second and a 2 s shutdown bound.</summary>
    internal Task<WorkerProcess> StartWorkerAsync(params (string Key, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>(Services.AsEnvironment())
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/tmp",
            ["Tee__Type"] = "Simulation",
            ["Tee__EnclavePath"] = RepositoryPaths.Runner,
            ["Tee__Workers"] = "2",
            ["Tee__WatchdogGraceMs"] = "500",
            ["Tee__Occlum__MaxExecutionTimeSeconds"] = MaxExecutionTimeSeconds.ToString(CultureInfo.InvariantCulture),
            ["Tee__Simulation__SealingKeyFiles__0"] = Sealing.PrivateKeyFile,
            ["Tee__Simulation__AttestationKeyFile"] = Attestation.PckKeyFile,
            ["Tee__Simulation__AttestationChainFile"] = Attestation.PckChainFile,
            ["Worker__LeaseGraceSeconds"] = "3",
            ["Worker__LeaseSweepSeconds"] = "1",
            ["Worker__ShutdownTimeoutSeconds"] = "2",
            ["Retention__Enabled"] = "false",
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        return WorkerProcess.StartAsync(environment, TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// Runs a few jobs through the queue first, so the scenario meets workers that have compiled their queries and
    /// warmed up (a cold worker on two shared cores takes seconds over its first jobs).
    /// </summary>
    internal async Task WarmUpAsync(int jobs = 6)
    {
        var commands = Enumerable.Range(0, jobs)
            .Select(i => new Contracts.ExecuteJavaScript(Guid.NewGuid(), Functions.Seed, Functions.SeedInput, null, "faults-warm-up", "faults-direct", null, DateTimeOffset.UtcNow))
            .ToList();
        await Task.WhenAll(commands.Select(c => Events.Bus.Publish(c)));
        await Task.WhenAll(commands.Select(c => Events.WaitForAsync(c.JobId, TimeSpan.FromSeconds(60))));
    }

    internal HttpClient CreateApiClient() =>
        Tenant.Authorize(new HttpClient { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(20) });

    internal NeoWorkerDbContext CreateDb()
    {
        var options = new DbContextOptionsBuilder<NeoWorkerDbContext>();
        NpgsqlContextOptions.Apply(options, Services.Postgres);
        return new NeoWorkerDbContext(options.Options);
    }

    internal async Task<TestTenant> CreateTenantAsync(string prefix)
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
            Role = "tenant",
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return new TestTenant(userId, key);
    }

    /// <summary>Whatever a failed scenario left stopped is started again, so the next one (and the next step of ops/test.sh) has its services.</summary>
    internal async Task EnsureServicesRunAsync()
    {
        await Control.StartPostgresAsync();
        await Control.StartRabbitMqAsync();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await EnsureServicesRunAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
            await Queues.DeleteEndpointAsync(_ledger.QueueName);
        }

        Report.Write();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Sealing.Dispose();
        Attestation.Dispose();
    }

    private static InvalidOperationException NotStarted() => new("The fault fixture has not started.");
}
