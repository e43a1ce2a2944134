using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Operations;

[Collection(nameof(ServicesCollection))]
public sealed class AccessTests(ServicesFixture services)
{
    [Fact]
    public async Task Me_names_the_keys_user_and_role()
    {
        var tenant = await JobListingTests.GetObjectAsync(services.CreateClient(services.Tenant), "/api/v1/me");
        var ops = await JobListingTests.GetObjectAsync(services.CreateClient(services.Operator), "/api/v1/me");

        Assert.Equal(services.Tenant.UserId, (string?)tenant["userId"]);
        Assert.Equal("tenant", (string?)tenant["role"]);
        Assert.Equal("ops", (string?)ops["role"]);
    }

    [Fact]
    public async Task No_key_or_an_unknown_key_gets_401_on_every_api_route()
    {
        var anonymous = services.CreateClient(null);
        var unknown = new TestTenant("nobody", "nwk_" + Guid.NewGuid().ToString("N")).Authorize(services.CreateClient(null));
        foreach (var client in new[] { anonymous, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/jobs")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/jobs/stats")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync($"/api/v1/jobs/{Guid.NewGuid()}/cancel", null)).StatusCode);
        }
    }

    [Fact]
    public async Task A_tenant_submitting_for_another_user_gets_403()
    {
        var response = await services.CreateClient(services.Tenant)
            .PostAsJsonAsync("/api/v1/functions/execute-javascript", JobsApi.Request(Functions.Seed, userId: services.OtherTenant.UserId));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_apikey_script_creates_a_key_shown_once_that_works_and_revokes_it()
    {
        var name = $"cli-{Guid.NewGuid():N}"[..20];
        var created = await RunApiKeyScriptAsync("create", "--user", "cli-user", "--role", "ops", "--name", name);
        Assert.True(created.ExitCode == 0, created.Error);
        var key = created.Output.Trim();
        Assert.Matches("^nwk_[0-9a-f]{48}$", key);

        await using (var db = services.CreateDb())
        {
            var row = Assert.Single(db.ApiKeys.Where(k => k.Name == name));
            Assert.Equal(NeoWorker.Attestation.ContentHash.Sha256Hex(key), row.KeyHash);
            Assert.DoesNotContain(key, row.KeyHash + row.Name + row.UserId, StringComparison.Ordinal);
        }

        var client = new TestTenant("cli-user", key).Authorize(services.CreateClient(null));
        var me = await JobListingTests.GetObjectAsync(client, "/api/v1/me");
        Assert.Equal("cli-user", (string?)me["userId"]);
        Assert.Equal("ops", (string?)me["role"]);

        var listed = await RunApiKeyScriptAsync("list");
        Assert.Contains(name, listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await RunApiKeyScriptAsync("revoke", "--name", name)).ExitCode);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the API caches keys for Api:KeyCacheSeconds (1 s in tests)
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);

        var bad = await RunApiKeyScriptAsync("create", "--user", "x", "--role", "admin");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--role must be tenant or ops", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_and_other_keys_are_not_affected()
    {
        var limited = await services.CreateTenantAsync("rate");
        var settings = new Dictionary<string, string> { ["RateLimit:PermitsPerSecond"] = "1", ["RateLimit:Burst"] = "5" };
        var client = services.CreateClient(limited, settings, out var api);
        await using var _ = api;
        var other = services.Tenant.Authorize(((Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>)api).CreateClient());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await client.GetAsync("/api/v1/me")).StatusCode);
        }

        var rejected = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), rejected.Headers.ToString());
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) is >= 5 and <= 7, string.Join(",", statuses));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunApiKeyScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "ops", "apikey.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Postgres"] = services.Services.Postgres;
        start.Environment["NEOWORKER_API_DLL"] = RepositoryPaths.ApiAssembly;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
