using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Dashboard;

/// <summary>
/// One browser and one Kestrel-hosted API for the dashboard tests, started on first use (xunit 2 cannot
/// hand the collection's <see cref="ServicesFixture"/> to a class fixture's constructor).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KestrelApi? _api;
    private Browser? _browser;

    internal Browser Browser => _browser ?? throw NotStarted();

    internal Uri BaseAddress => (_api ?? throw NotStarted()).BaseAddress;

    internal async Task StartAsync(ServicesFixture services)
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is not null)
            {
                return;
            }

            _api = KestrelApi.Start(services);
            _browser = Browser.Start();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A fresh page on <paramref name="baseAddress"/> (default: this fixture's API): no key in session storage, nothing left from the previous test.</summary>
    internal DashboardPage NewPage(Uri? baseAddress = null)
    {
        var address = baseAddress ?? BaseAddress;
        var page = new DashboardPage(Browser, address);
        Browser.Driver.Navigate().GoToUrl(new Uri(address, "/dashboard/app.css"));
        page.Script("sessionStorage.clear(); localStorage.clear();");
        Browser.TakeConsole();
        page.Open();
        return page;
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
