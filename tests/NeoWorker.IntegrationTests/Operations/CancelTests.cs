using System.Net;
using MassTransit;
using NeoWorker.Contracts;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Operations;

[Collection(nameof(ServicesCollection))]
public sealed class CancelTests(ServicesFixture services)
{
    [Fact]
    public async Task A_queued_job_is_canceled_at_once_and_never_runs_when_its_command_arrives()
    {
        var tenant = await services.CreateTenantAsync("cancel-queued");
        await using var db = services.CreateDb();
        var job = await JobRows.InsertAsync(db, tenant.UserId, "cancel", JobStatus.Queued, DateTimeOffset.UtcNow);
        var client = services.CreateClient(tenant);

        var response = await client.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var canceled = await JobsApi.ReadObjectAsync(response);
        Assert.Equal("Canceled", (string?)canceled["status"]);
        Assert.Equal("Canceled", (string?)canceled["errorCode"]);

        // The command reaches a worker later (it was already in the queue): it must not run the code.
        await services.Events.Bus.Publish(new ExecuteJavaScript(job.Id, job.Code, job.Input, null, job.FunctionId, job.UserId, null, job.RequestedAt));
        var completed = await services.Events.WaitForAsync(job.Id, TimeSpan.FromSeconds(20));
        Assert.Equal("Canceled", completed.Status);
        await using var check = services.CreateDb();
        var row = await check.Jobs.FindAsync(job.Id);
        Assert.Equal(JobStatus.Canceled, row!.Status);
        Assert.Equal(0, row.AttemptCount);
        Assert.Null(row.Result);
    }

    [Fact]
    public async Task A_finished_job_answers_409_with_the_job_as_it_ended()
    {
        var api = new JobsApi(services.CreateClient(services.Tenant));
        var finished = await api.SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput));

        var response = await services.CreateClient(services.Tenant).PostAsync($"/api/v1/jobs/{finished["jobId"]}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Succeeded", (string?)(await JobsApi.ReadObjectAsync(response))["status"]);
    }

    [Fact]
    public async Task Another_tenants_job_is_not_found_and_stays_queued()
    {
        await using var db = services.CreateDb();
        var job = await JobRows.InsertAsync(db, services.OtherTenant.UserId, "cancel", JobStatus.Queued, DateTimeOffset.UtcNow);

        var response = await services.CreateClient(services.Tenant).PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var check = services.CreateDb();
        Assert.Equal(JobStatus.Queued, (await check.Jobs.FindAsync(job.Id))!.Status);

        // Ops may cancel anyone's job.
        var ops = await services.CreateClient(services.Operator).PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, ops.StatusCode);
    }

    [Fact]
    public async Task A_bad_job_id_gets_400()
    {
        var response = await services.CreateClient(services.Tenant).PostAsync("/api/v1/jobs/12345/cancel", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await JobsApi.ReadObjectAsync(response))["errors"]?["jobId"]);
    }
}
