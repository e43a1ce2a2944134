using Microsoft.Extensions.Options;
using NeoWorker.Contracts;
using NeoWorker.Enclave.Pool;
using NeoWorker.Enclave.Simulation;

namespace NeoWorker.Enclave.Tests;

/// <summary>A pool of two real enclaves, built as the worker builds it (slots 0 and 1).</summary>
public sealed class EnclavePoolTests : IAsyncLifetime
{
    private const int Workers = 2;
    private readonly EnclavePool pool;

    public EnclavePoolTests(ITestOutputHelper output)
    {
        var tee = EnclaveUnderTest.DefaultOptions(RunnerPaths.RealRunner);
        tee.Workers = Workers;
        pool = new EnclavePool(new SimulationRunnerLauncher(Options.Create(tee)), Options.Create(tee),
            new TestOutputLogger<EnclavePool>(output));
    }

    public async Task InitializeAsync()
    {
        using var hang = new CancellationTokenSource(EnclaveUnderTest.HangLimit);
        await pool.StartAsync(hang.Token);
    }

    public Task DisposeAsync() => pool.DisposeAsync().AsTask();

    [Fact]
    public void A_started_pool_is_warm_with_one_runner_process_per_enclave()
    {
        Assert.True(pool.IsWarm);
        Assert.Equal(Workers, pool.Size);
        Assert.True(pool.IsSimulated);
        Assert.All(Enumerable.Range(0, Workers), slot => Assert.Single(RunnerProcesses.OfSlot(slot)));
    }

    [Fact]
    public async Task Twenty_concurrent_jobs_each_get_their_own_result_from_the_two_enclaves()
    {
        using var hang = new CancellationTokenSource(EnclaveUnderTest.HangLimit);

        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(value =>
            pool.ExecuteAsync(EnclaveUnderTest.Job(JobCode.Seed, $$"""{ "value": {{value}} }"""), hang.Token)));

        Assert.All(results, result => Assert.Equal(JobStatuses.Succeeded, result.Status));
        Assert.Equal(Enumerable.Range(1, 20).Select(value => $$"""{"result":{{value * 2}}}"""), results.Select(r => r.Result));
        Assert.Equal(Workers, results.Select(r => r.EnclaveId).Distinct().Count());
        Assert.Equal(0, pool.Restarts);
    }

    [Fact]
    public async Task Disposing_the_pool_ends_its_runner_processes()
    {
        var processes = Enumerable.Range(0, Workers).SelectMany(RunnerProcesses.OfSlot).ToList();
        Assert.Equal(Workers, processes.Count);

        await pool.DisposeAsync();

        Assert.All(processes, pid => Assert.False(RunnerProcesses.IsRunning(pid), $"runner {pid} still runs"));
        Assert.False(pool.IsWarm);
    }
}
