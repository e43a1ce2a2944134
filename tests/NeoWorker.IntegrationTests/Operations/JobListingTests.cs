using System.Net;
using System.Text.Json.Nodes;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Operations;

[Collection(nameof(ServicesCollection))]
public sealed class JobListingTests(ServicesFixture services)
{
    [Fact]
    public async Task Pages_walk_every_job_once_newest_first_and_end_with_a_null_cursor()
    {
        var tenant = await services.CreateTenantAsync("list-pages");
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        await using var db = services.CreateDb();
        var inserted = new List<Guid>();
        for (var i = 0; i < 23; i++)
        {
            // Two jobs share each timestamp, so the id breaks ties and paging must not lose or repeat one.
            inserted.Add((await JobRows.InsertAsync(db, tenant.UserId, "paging", JobStatus.Succeeded, start.AddSeconds(i / 2))).Id);
        }

        var client = services.CreateClient(tenant);
        var seen = new List<(DateTimeOffset At, Guid Id)>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetObjectAsync(client, "/api/v1/jobs?limit=10" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages++;
            foreach (var item in page["items"]!.AsArray())
            {
                seen.Add((DateTimeOffset.Parse((string)item!["requestedAt"]!, System.Globalization.CultureInfo.InvariantCulture), Guid.Parse((string)item["jobId"]!)));
            }

            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(inserted.Order(), seen.Select(s => s.Id).Order());
        var expectedOrder = seen.OrderByDescending(s => s.At).ThenByDescending(s => s.Id).ToList();
        Assert.Equal(expectedOrder, seen);
    }

    [Fact]
    public async Task A_tenant_lists_only_its_own_jobs_and_may_not_name_another_user()
    {
        var mine = await services.CreateTenantAsync("list-mine");
        var theirs = await services.CreateTenantAsync("list-theirs");
        await using var db = services.CreateDb();
        var own = await JobRows.InsertAsync(db, mine.UserId, "f", JobStatus.Succeeded, DateTimeOffset.UtcNow);
        await JobRows.InsertAsync(db, theirs.UserId, "f", JobStatus.Succeeded, DateTimeOffset.UtcNow);

        var client = services.CreateClient(mine);
        var page = await GetObjectAsync(client, "/api/v1/jobs");
        Assert.Equal([own.Id], page["items"]!.AsArray().Select(i => Guid.Parse((string)i!["jobId"]!)));

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/v1/jobs?userId={theirs.UserId}")).StatusCode);
        var named = await GetObjectAsync(client, $"/api/v1/jobs?userId={mine.UserId}");
        Assert.Single(named["items"]!.AsArray());
    }

    [Fact]
    public async Task Ops_see_every_user_and_filter_by_user_status_function_and_time()
    {
        var alice = await services.CreateTenantAsync("list-alice");
        var bob = await services.CreateTenantAsync("list-bob");
        var now = DateTimeOffset.UtcNow;
        await using var db = services.CreateDb();
        var aliceOld = await JobRows.InsertAsync(db, alice.UserId, "fa", JobStatus.Succeeded, now.AddHours(-3));
        var aliceFailed = await JobRows.InsertAsync(db, alice.UserId, "fa", JobStatus.Failed, now.AddMinutes(-5));
        var aliceOther = await JobRows.InsertAsync(db, alice.UserId, "fb", JobStatus.Succeeded, now.AddMinutes(-4));
        var bobQueued = await JobRows.InsertAsync(db, bob.UserId, "fa", JobStatus.Queued, now.AddMinutes(-3));

        var ops = services.CreateClient(services.Operator);
        Assert.Equal([aliceOther.Id, aliceFailed.Id, aliceOld.Id], await IdsAsync(ops, $"userId={alice.UserId}"));
        Assert.Equal([bobQueued.Id], await IdsAsync(ops, $"userId={bob.UserId}"));
        Assert.Equal([aliceFailed.Id], await IdsAsync(ops, $"userId={alice.UserId}&status=Failed"));
        Assert.Equal([aliceFailed.Id], await IdsAsync(ops, $"userId={alice.UserId}&status=failed,TimedOut"));
        Assert.Equal([aliceFailed.Id, aliceOld.Id], await IdsAsync(ops, $"userId={alice.UserId}&functionId=fa"));
        var from = Uri.EscapeDataString(now.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(now.AddMinutes(-4).ToString("O"));
        Assert.Equal([aliceFailed.Id], await IdsAsync(ops, $"userId={alice.UserId}&from={from}&to={to}"));
    }

    [Theory]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=AAAA", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("status=Done", "status")]
    [InlineData("status=3", "status")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z", "to")]
    public async Task Bad_query_values_get_400_naming_the_parameter(string query, string parameter)
    {
        var response = await services.CreateClient(services.Tenant).GetAsync($"/api/v1/jobs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JobsApi.ReadObjectAsync(response);
        Assert.NotNull(problem["errors"]?[parameter]);
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string query) =>
        [.. (await GetObjectAsync(client, $"/api/v1/jobs?{query}"))["items"]!.AsArray().Select(i => Guid.Parse((string)i!["jobId"]!))];

    internal static async Task<JsonObject> GetObjectAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await JobsApi.ReadObjectAsync(response);
    }
}
