using System.Diagnostics;
using NeoWorker.Contracts;

namespace NeoWorker.Enclave.Tests;

/// <summary>Jobs in the real runner: results, and the failures the runner reports itself.</summary>
public sealed class RunnerJobTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly EnclaveUnderTest enclave = EnclaveUnderTest.Real(output);

    public Task InitializeAsync() => enclave.StartAsync();

    public Task DisposeAsync() => enclave.DisposeAsync().AsTask();

    [Fact]
    public async Task The_seed_example_returns_its_input_doubled()
    {
        var result = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);

        Assert.Equal(JobStatuses.Succeeded, result.Status);
        Assert.Equal(JobCode.SeedResult, result.Result);
        Assert.Null(result.ErrorCode);
        Assert.True(result.GasUsed > 0, $"gasUsed was {result.GasUsed}");
        Assert.Equal(enclave.Enclave.Id, result.EnclaveId);
        Assert.StartsWith("sim-", result.EnclaveId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_infinite_loop_is_timed_out_by_the_runner_before_the_watchdog_acts()
    {
        var clock = Stopwatch.StartNew();

        var result = await enclave.RunAsync(JobCode.InfiniteLoop, timeoutMs: 500);

        Assert.Equal(JobStatuses.TimedOut, result.Status);
        Assert.Equal(ErrorCodes.TimedOut, result.ErrorCode);
        Assert.InRange(clock.ElapsedMilliseconds, 450, 500 + enclave.Tee.WatchdogGraceMs - 1);
    }

    [Fact]
    public async Task After_a_timeout_the_same_enclave_runs_the_next_job_without_a_restart()
    {
        await enclave.RunAsync(JobCode.InfiniteLoop, timeoutMs: 500);

        var next = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);

        Assert.Equal(JobStatuses.Succeeded, next.Status);
        Assert.Equal(JobCode.SeedResult, next.Result);
        Assert.Equal(0, enclave.Enclave.Restarts);
    }

    [Fact]
    public async Task A_memory_bomb_fails_at_the_job_memory_limit()
    {
        var result = await enclave.RunAsync(JobCode.MemoryBomb, timeoutMs: 5000);

        Assert.Equal(JobStatuses.Failed, result.Status);
        Assert.Equal(ErrorCodes.MemoryLimit, result.ErrorCode);
    }

    [Fact]
    public async Task After_a_memory_bomb_the_same_enclave_runs_the_next_job_without_a_restart()
    {
        await enclave.RunAsync(JobCode.MemoryBomb, timeoutMs: 5000);

        var next = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);

        Assert.Equal(JobStatuses.Succeeded, next.Status);
        Assert.Equal(JobCode.SeedResult, next.Result);
        Assert.Equal(0, enclave.Enclave.Restarts);
    }

    [Fact]
    public async Task A_thrown_error_fails_the_job_with_its_message()
    {
        var result = await enclave.RunAsync(JobCode.Throws);

        Assert.Equal(JobStatuses.Failed, result.Status);
        Assert.Equal(ErrorCodes.ScriptError, result.ErrorCode);
        Assert.Contains("the function gave up", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_fails_the_job()
    {
        var result = await enclave.RunAsync(JobCode.BrokenSyntax);

        Assert.Equal(JobStatuses.Failed, result.Status);
        Assert.Equal(ErrorCodes.SyntaxError, result.ErrorCode);
    }
}
