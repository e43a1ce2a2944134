using System.Diagnostics;
using NeoWorker.Contracts;

namespace NeoWorker.Enclave.Tests;

/// <summary>Jobs in the real runner, in both backends: results, and the failures the runner reports itself.</summary>
public sealed class RunnerJobTests(ITestOutputHelper output)
{
    public static TheoryData<Backend> Backends => EnclaveUnderTest.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_seed_example_returns_its_input_doubled(Backend backend)
    {
        await using var enclave = await StartedAsync(backend);
        var result = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);

        Assert.Equal(JobStatuses.Succeeded, result.Status);
        Assert.Equal(JobCode.SeedResult, result.Result);
        Assert.Null(result.ErrorCode);
        Assert.True(result.GasUsed > 0, $"gasUsed was {result.GasUsed}");
        Assert.Equal(enclave.Enclave.Id, result.EnclaveId);
        Assert.StartsWith("sim-", result.EnclaveId, StringComparison.Ordinal); // both backends are simulations here
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_infinite_loop_is_timed_out_by_the_runner_before_the_watchdog_acts(Backend backend)
    {
        await using var enclave = await StartedAsync(backend);
        var clock = Stopwatch.StartNew();

        var result = await enclave.RunAsync(JobCode.InfiniteLoop, timeoutMs: 500);

        Assert.Equal(JobStatuses.TimedOut, result.Status);
        Assert.Equal(ErrorCodes.TimedOut, result.ErrorCode);
        Assert.InRange(clock.ElapsedMilliseconds, 450, 500 + enclave.Tee.WatchdogGraceMs - 1);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task After_a_timeout_the_same_enclave_runs_the_next_job_without_a_restart(Backend backend)
    {
        await using var enclave = await StartedAsync(backend);
        await enclave.RunAsync(JobCode.InfiniteLoop, timeoutMs: 500);

        var next = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);

        Assert.Equal(JobStatuses.Succeeded, next.Status);
        Assert.Equal(JobCode.SeedResult, next.Result);
        Assert.Equal(0, enclave.Enclave.Restarts);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_memory_bomb_fails_at_the_job_memory_limit(Backend backend)
    {
        await using var enclave = await StartedAsync(backend);
        var result = await enclave.RunAsync(JobCode.MemoryBomb, timeoutMs: 5000);

        Assert.Equal(JobStatuses.Failed, result.Status);
        Assert.Equal(ErrorCodes.MemoryLimit, result.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task After_a_memory_bomb_the_same_enclave_runs_the_next_job_without_a_restart(Backend backend)
    {
        await using var enclave = await StartedAsync(backend);
        await enclave.RunAsync(JobCode.MemoryBomb, timeoutMs: 5000);

        var next = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);

        Assert.Equal(JobStatuses.Succeeded, next.Status);
        Assert.Equal(JobCode.SeedResult, next.Result);
        Assert.Equal(0, enclave.Enclave.Restarts);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_thrown_error_fails_the_job_with_its_message(Backend backend)
    {
        await using var enclave = await StartedAsync(backend);
        var result = await enclave.RunAsync(JobCode.Throws);

        Assert.Equal(JobStatuses.Failed, result.Status);
        Assert.Equal(ErrorCodes.ScriptError, result.ErrorCode);
        Assert.Contains("the function gave up", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_syntax_error_fails_the_job(Backend backend)
    {
        await using var enclave = await StartedAsync(backend);
        var result = await enclave.RunAsync(JobCode.BrokenSyntax);

        Assert.Equal(JobStatuses.Failed, result.Status);
        Assert.Equal(ErrorCodes.SyntaxError, result.ErrorCode);
    }

    private async Task<EnclaveUnderTest> StartedAsync(Backend backend)
    {
        var enclave = EnclaveUnderTest.Real(output, backend: backend);
        try
        {
            await enclave.StartAsync();
            return enclave;
        }
        catch
        {
            await enclave.DisposeAsync();
            throw;
        }
    }
}
