using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Jobs;

[Collection(nameof(ServicesCollection))]
public sealed class ApiSubmissionTests(ServicesFixture services)
{
    private JobsApi Api => new(services.CreateClient(services.Tenant));

    [Fact]
    public async Task The_seed_example_is_accepted_with_202_and_its_status_shows_result_84()
    {
        var response = await Api.SubmitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput, "test_function", services.Tenant.UserId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await JobsApi.ReadObjectAsync(response);
        var jobId = Guid.Parse((string)accepted["jobId"]!);
        Assert.Equal("Queued", (string?)accepted["status"]);
        Assert.Equal($"/api/v1/jobs/{jobId}", (string?)accepted["statusUrl"]);
        Assert.Equal($"/api/v1/jobs/{jobId}", response.Headers.Location?.OriginalString);

        var job = await Api.PollUntilFinishedAsync($"/api/v1/jobs/{jobId}", TimeSpan.FromSeconds(30));
        Assert.Equal("Succeeded", (string?)job["status"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"result":84}"""), job["result"]), job.ToJsonString());
        Assert.True((long)job["executionTimeMs"]! >= 0);
        Assert.True((long)job["gasUsed"]! > 0);
        Assert.Equal(services.Tenant.UserId, (string?)job["userId"]);

        var completed = await services.Events.WaitForAsync(jobId, TimeSpan.FromSeconds(10));
        Assert.Equal("Succeeded", completed.Status);
        Assert.Equal("""{"result":84}""", completed.Result);
    }

    [Fact]
    public async Task Waiting_on_the_submission_returns_the_finished_job_in_the_seed_shape()
    {
        var result = await Api.SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput, "test_function"), wait: 20);

        Assert.Equal("Succeeded", (string?)result["status"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"result":84}"""), result["result"]));
        Assert.NotNull(result["executionTimeMs"]);
        Assert.NotNull(result["gasUsed"]);
        Assert.True(Guid.TryParse((string?)result["jobId"], out _));
    }

    [Fact]
    public async Task A_request_without_a_valid_key_is_refused_with_401()
    {
        var anonymous = new JobsApi(services.CreateClient(tenant: null));
        var response = await anonymous.SubmitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var wrongKey = services.CreateClient(tenant: null);
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "nwk_not_a_key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await new JobsApi(wrongKey).SubmitAsync(JobsApi.Request(Functions.Seed))).StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_works_like_the_api_key_header()
    {
        var client = services.CreateClient(tenant: null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", services.Tenant.ApiKey);
        var response = await new JobsApi(client).SubmitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_tenant_cannot_submit_for_another_user_nor_read_another_users_job()
    {
        var forOther = await Api.SubmitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput, userId: services.OtherTenant.UserId));
        Assert.Equal(HttpStatusCode.Forbidden, forOther.StatusCode);
        Assert.Equal("application/problem+json", forOther.Content.Headers.ContentType?.MediaType);

        var mine = await JobsApi.ReadObjectAsync(await Api.SubmitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput)));
        var other = services.CreateClient(services.OtherTenant);
        var peek = await other.GetAsync((string)mine["statusUrl"]!);
        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
    }

    public static TheoryData<string, object> BadRequests() => new()
    {
        { "code", new { input = "{}", functionId = "f" } },
        { "code", new { code = "", input = "{}", functionId = "f" } },
        { "code", new { code = "function main() { return '" + new string('x', 300 * 1024) + "'; }", input = "{}", functionId = "f" } },
        { "input", new { code = Functions.Seed, input = "{ value: 42 ", functionId = "f" } },
        { "secrets", new { code = Functions.Seed, input = "{}", secrets = "[1,2]", functionId = "f" } },
        { "functionId", new { code = Functions.Seed, input = "{}" } },
        { "functionId", new { code = Functions.Seed, input = "{}", functionId = "bad id with spaces" } },
        { "timeoutMs", new { code = Functions.Seed, input = "{}", functionId = "f", timeoutMs = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_gets_400_problem_details_naming_the_field_and_nothing_is_enqueued(string field, object body)
    {
        var before = await CountJobsAsync();

        var response = await Api.SubmitAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JobsApi.ReadObjectAsync(response);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        Assert.Equal(before, await CountJobsAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_400_problem_details()
    {
        using var content = new StringContent("{ this is not json", System.Text.Encoding.UTF8, "application/json");
        var response = await services.CreateClient(services.Tenant).PostAsync("/api/v1/functions/execute-javascript", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        var client = services.CreateClient(tenant: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private async Task<int> CountJobsAsync()
    {
        await using var db = services.CreateDb();
        return await db.Jobs.CountAsync(j => j.UserId == services.Tenant.UserId);
    }
}
