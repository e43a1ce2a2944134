using System.Net;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Operations;

[Collection(nameof(ServicesCollection))]
public sealed class JobStatsTests(ServicesFixture services)
{
    [Fact]
    public async Task A_tenant_sees_counts_per_state_completions_and_percentiles_of_its_own_jobs()
    {
        var tenant = await services.CreateTenantAsync("stats");
        var other = await services.CreateTenantAsync("stats-other");
        var now = DateTimeOffset.UtcNow;
        await using var db = services.CreateDb();
        for (var i = 1; i <= 20; i++)
        {
            await JobRows.InsertAsync(db, tenant.UserId, "f", JobStatus.Succeeded, now.AddMinutes(-1), executionTimeMs: i * 10);
        }

        await JobRows.InsertAsync(db, tenant.UserId, "f", JobStatus.Failed, now, executionTimeMs: 1000);
        await JobRows.InsertAsync(db, tenant.UserId, "f", JobStatus.Queued, now);
        await JobRows.InsertAsync(db, other.UserId, "f", JobStatus.Succeeded, now, executionTimeMs: 99_999);

        var stats = await JobListingTests.GetObjectAsync(services.CreateClient(tenant), "/api/v1/jobs/stats?windowMinutes=10");

        Assert.Equal(20, (long)stats["counts"]!["Succeeded"]!);
        Assert.Equal(1, (long)stats["counts"]!["Failed"]!);
        Assert.Equal(1, (long)stats["counts"]!["Queued"]!);
        Assert.Equal(0, (long)stats["counts"]!["Canceled"]!);
        Assert.Equal(22, (long)stats["total"]!);
        Assert.Equal(21, stats["completionsPerMinute"]!.AsArray().Sum(m => (long)m!["count"]!));
        Assert.Equal(21, (long)stats["executionTimeMs"]!["count"]!);
        Assert.Equal(110, (double)stats["executionTimeMs"]!["p50"]!);
        Assert.True((double)stats["executionTimeMs"]!["p95"]! is > 190 and < 1000, stats.ToJsonString());
    }

    [Fact]
    public async Task Ops_see_every_user_in_the_counts()
    {
        var tenant = await services.CreateTenantAsync("stats-ops");
        await using var db = services.CreateDb();
        await JobRows.InsertAsync(db, tenant.UserId, "f", JobStatus.TimedOut, DateTimeOffset.UtcNow, executionTimeMs: 5);

        var ops = await JobListingTests.GetObjectAsync(services.CreateClient(services.Operator), "/api/v1/jobs/stats");
        var own = await JobListingTests.GetObjectAsync(services.CreateClient(tenant), "/api/v1/jobs/stats");

        Assert.Equal(1, (long)own["total"]!);
        Assert.True((long)ops["total"]! > 1);
        Assert.True((long)ops["counts"]!["TimedOut"]! >= 1);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10081")]
    [InlineData("soon")]
    public async Task A_bad_window_gets_400(string window)
    {
        var response = await services.CreateClient(services.Tenant).GetAsync($"/api/v1/jobs/stats?windowMinutes={window}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await JobsApi.ReadObjectAsync(response))["errors"]?["windowMinutes"]);
    }
}
