using System.Net;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Operations;

[Collection(nameof(ServicesCollection))]
public sealed class CancelRunningTests(ServicesFixture services)
{
    [Fact]
    public async Task A_running_job_is_stopped_in_its_enclave_and_ends_canceled_and_the_enclave_runs_the_next_job()
    {
        var api = new JobsApi(services.CreateClient(services.Tenant));
        var accepted = await JobsApi.ReadObjectAsync(await api.SubmitAsync(JobsApi.Request(Functions.InfiniteLoop, timeoutMs: 5000)));
        var jobId = Guid.Parse((string)accepted["jobId"]!);
        await WaitForStatusAsync(api, jobId, "Running", TimeSpan.FromSeconds(20));

        var response = await services.CreateClient(services.Tenant).PostAsync($"/api/v1/jobs/{jobId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var canceled = await JobsApi.ReadObjectAsync(response);
        Assert.Equal("Canceled", (string?)canceled["status"]);
        Assert.NotNull(canceled["cancelRequestedAt"]);
        Assert.True((long?)canceled["executionTimeMs"] < 5000, canceled.ToJsonString());
        Assert.Equal("Canceled", (await services.Events.WaitForAsync(jobId, TimeSpan.FromSeconds(10))).Status);

        for (var i = 0; i < 2; i++)
        {
            var next = await api.SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput));
            Assert.Equal("Succeeded", (string?)next["status"]);
        }
    }

    private static async Task WaitForStatusAsync(JobsApi api, Guid jobId, string status, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while ((string?)(await api.GetAsync($"/api/v1/jobs/{jobId}"))["status"] != status)
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
