using System.Diagnostics;
using System.Text.Json.Nodes;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Jobs;

/// <summary>What a function does decides its job's outcome; no outcome harms the enclaves for later jobs.</summary>
[Collection(nameof(ServicesCollection))]
public sealed class FunctionOutcomeTests(ServicesFixture services)
{
    private JobsApi Api => new(services.CreateClient(services.Tenant));

    [Fact]
    public async Task An_async_main_succeeds_with_its_resolved_value()
    {
        var job = await Api.SubmitAndWaitAsync(JobsApi.Request(Functions.Async, """{"value":21}"""));

        Assert.Equal("Succeeded", (string?)job["status"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"doubled":42,"kind":"async"}"""), job["result"]), job.ToJsonString());
    }

    [Fact]
    public async Task Console_output_is_captured_in_the_job_logs()
    {
        var job = await Api.SubmitAndWaitAsync(JobsApi.Request(Functions.Logging, """{"value":7}"""));

        Assert.Equal("Succeeded", (string?)job["status"]);
        var logs = (string?)job["logs"];
        Assert.Contains("hello 7", logs);
        Assert.Contains("""{"a":1}""", logs);
    }

    [Fact]
    public async Task A_thrown_error_fails_the_job_with_ScriptError_and_the_message()
    {
        var job = await Api.SubmitAndWaitAsync(JobsApi.Request(Functions.Throwing));

        Assert.Equal("Failed", (string?)job["status"]);
        Assert.Equal("ScriptError", (string?)job["errorCode"]);
        Assert.Contains("boom from the function", (string?)job["error"]);
    }

    [Fact]
    public async Task A_syntax_error_fails_the_job()
    {
        var job = await Api.SubmitAndWaitAsync(JobsApi.Request(Functions.Broken));

        Assert.Equal("Failed", (string?)job["status"]);
        Assert.Equal("SyntaxError", (string?)job["errorCode"]);
    }

    [Fact]
    public async Task An_infinite_loop_times_out_within_the_limit_and_the_enclaves_keep_working()
    {
        var clock = Stopwatch.StartNew();
        var job = await Api.SubmitAndWaitAsync(JobsApi.Request(Functions.InfiniteLoop, timeoutMs: 1000));

        Assert.Equal("TimedOut", (string?)job["status"]);
        Assert.Equal("TimedOut", (string?)job["errorCode"]);
        Assert.InRange((long)job["executionTimeMs"]!, 900, 3000);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
        await AssertEveryEnclaveStillRunsJobsAsync();
    }

    [Fact]
    public async Task A_command_without_timeout_is_bounded_by_MaxExecutionTimeSeconds()
    {
        var job = await Api.SubmitAndWaitAsync(JobsApi.Request(Functions.InfiniteLoop));

        Assert.Equal("TimedOut", (string?)job["status"]);
        Assert.InRange((long)job["executionTimeMs"]!, (ServicesFixture.MaxExecutionTimeSeconds * 1000) - 100, (ServicesFixture.MaxExecutionTimeSeconds * 1000) + 3000);
    }

    [Fact]
    public async Task A_memory_bomb_fails_with_MemoryLimit_and_the_enclaves_keep_working()
    {
        var job = await Api.SubmitAndWaitAsync(JobsApi.Request(Functions.MemoryBomb));

        Assert.Equal("Failed", (string?)job["status"]);
        Assert.Equal("MemoryLimit", (string?)job["errorCode"]);
        await AssertEveryEnclaveStillRunsJobsAsync();
    }

    /// <summary>More jobs than enclaves, at once, so every enclave of the worker gets one.</summary>
    private async Task AssertEveryEnclaveStillRunsJobsAsync()
    {
        var jobs = await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            Api.SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, $$"""{"value":{{i}}}"""))));

        for (var i = 0; i < jobs.Length; i++)
        {
            Assert.Equal("Succeeded", (string?)jobs[i]["status"]);
            Assert.Equal((i + 1) * 2, (int)jobs[i]["result"]!["result"]!);
        }
    }
}
