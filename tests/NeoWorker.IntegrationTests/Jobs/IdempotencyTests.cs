using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Jobs;

/// <summary>An Idempotency-Key maps to one job: repeats get that job, a different request under it gets 409.</summary>
[Collection(nameof(ServicesCollection))]
public sealed class IdempotencyTests(ServicesFixture services)
{
    [Fact]
    public async Task A_repeated_submission_with_the_same_key_returns_the_same_job_and_runs_once()
    {
        var key = Guid.NewGuid().ToString();
        var body = JobsApi.Request(Functions.Random, functionId: "idempotent");

        var first = await SubmitAsync(key, body);
        var second = await SubmitAsync(key, body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var jobId = Guid.Parse((string)(await JobsApi.ReadObjectAsync(first))["jobId"]!);
        await services.Events.WaitForAsync(jobId, TimeSpan.FromSeconds(30));
        await using var db = services.CreateDb();
        Assert.Equal(1, await db.Jobs.CountAsync(j => j.UserId == services.Tenant.UserId && j.IdempotencyKey == key));
        Assert.Equal(1, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId)).AttemptCount);
    }

    [Fact]
    public async Task A_different_request_under_a_used_key_is_refused_with_409()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(key, JobsApi.Request(Functions.Seed, Functions.SeedInput))).StatusCode);

        var other = await SubmitAsync(key, JobsApi.Request(Functions.Seed, """{ "value": 43 }"""));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Concurrent_submissions_with_one_key_make_one_job()
    {
        var key = Guid.NewGuid().ToString();
        var body = JobsApi.Request(Functions.Seed, Functions.SeedInput);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SubmitAsync(key, body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (string)(await JobsApi.ReadObjectAsync(r))["jobId"]!));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task The_same_key_of_another_user_is_another_job()
    {
        var key = Guid.NewGuid().ToString();
        var body = JobsApi.Request(Functions.Seed, Functions.SeedInput);

        var mine = await JobsApi.ReadObjectAsync(await SubmitAsync(key, body));
        var theirs = await JobsApi.ReadObjectAsync(await SubmitAsync(key, body, services.OtherTenant));

        Assert.NotEqual((string?)mine["jobId"], (string?)theirs["jobId"]);
    }

    private Task<HttpResponseMessage> SubmitAsync(string key, object body, TestTenant? tenant = null)
    {
        var client = services.CreateClient(tenant ?? services.Tenant);
        client.DefaultRequestHeaders.Add("Idempotency-Key", key);
        return client.PostAsJsonAsync("/api/v1/functions/execute-javascript", body);
    }
}
