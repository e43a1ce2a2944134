using NeoWorker.Attestation;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Dashboard;

/// <summary>
/// One browser and one Kestrel-hosted API for the dashboard tests, started on first use (xunit 2 cannot
/// hand the collection's <see cref="ServicesFixture"/> to a class fixture's constructor), plus an ops key.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KestrelApi? _api;
    private Browser? _browser;

    internal Browser Browser => _browser ?? throw NotStarted();

    internal Uri BaseAddress => (_api ?? throw NotStarted()).BaseAddress;

    internal TestTenant Ops { get; private set; } = null!;

    internal async Task StartAsync(ServicesFixture services)
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is not null)
            {
                return;
            }

            Ops = await CreateOpsKeyAsync(services);
            _api = KestrelApi.Start(services);
            _browser = Browser.Start();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A fresh page: no key in session storage, nothing left from the previous test.</summary>
    internal DashboardPage NewPage()
    {
        var page = new DashboardPage(Browser, BaseAddress);
        Browser.Driver.Navigate().GoToUrl(new Uri(BaseAddress, "/dashboard/app.css"));
        page.Script("sessionStorage.clear(); localStorage.clear();");
        Browser.TakeConsole();
        page.Open();
        return page;
    }

    private static async Task<TestTenant> CreateOpsKeyAsync(ServicesFixture services)
    {
        var userId = $"it-ops-{Guid.NewGuid():N}"[..24];
        var key = $"nwk_test_{Guid.NewGuid():N}{Guid.NewGuid():N}";
        await using var db = services.CreateDb();
        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.NewGuid(),
            Name = userId,
            KeyHash = ContentHash.Sha256Hex(key),
            UserId = userId,
            Role = "ops",
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return new TestTenant(userId, key);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        _gate.Dispose();
    }

    private static InvalidOperationException NotStarted() => new("The dashboard fixture has not started.");
}
