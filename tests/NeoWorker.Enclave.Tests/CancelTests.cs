using System.Diagnostics;
using NeoWorker.Contracts;

namespace NeoWorker.Enclave.Tests;

/// <summary><see cref="EnclaveJob.StopRequested"/>: a job canceled while it runs, before it starts, or in a runner that ignores it; per backend.</summary>
public abstract class CancelTests(Backend backend, ITestOutputHelper output)
{
    private const string Spin = "globalThis.leftover = 'from the canceled job'; function main() { console.log('started'); for (;;) {} }";
    private const string CleanJob = "function main(input) { return { result: input.value * 2, leftover: typeof globalThis.leftover }; }";
    private const int GraceMs = 1000;

    [Fact]
    public async Task A_running_job_whose_stop_is_requested_ends_Canceled_at_once_and_the_next_job_in_the_enclave_is_clean()
    {
        await using var enclave = EnclaveUnderTest.Real(output, tee => tee.WatchdogGraceMs = GraceMs, backend);
        await enclave.StartAsync();
        var runner = enclave.ProcessId;
        using var stop = new CancellationTokenSource();
        var job = EnclaveUnderTest.Job(Spin, timeoutMs: 10_000) with { StopRequested = stop.Token };

        var running = enclave.RunAsync(job);
        await Task.Delay(300);
        var clock = Stopwatch.StartNew();
        await stop.CancelAsync();
        var result = await running;

        Assert.Equal(JobStatuses.Canceled, result.Status);
        Assert.Equal(ErrorCodes.Canceled, result.ErrorCode);
        Assert.Contains("canceled", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("started", result.Logs);
        Assert.True(clock.ElapsedMilliseconds < GraceMs, $"took {clock.ElapsedMilliseconds} ms: the watchdog, not the runner, ended it");
        Assert.Equal(0, enclave.Enclave.Restarts);
        Assert.Equal(runner, enclave.ProcessId);

        var next = await enclave.RunAsync(CleanJob, JobCode.SeedInput);
        Assert.Equal("""{"result":84,"leftover":"undefined"}""", next.Result);
    }

    [Fact]
    public async Task A_job_whose_stop_was_requested_before_it_started_never_runs()
    {
        await using var enclave = EnclaveUnderTest.Real(output, backend: backend);
        await enclave.StartAsync();
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var clock = Stopwatch.StartNew();

        var result = await enclave.RunAsync(EnclaveUnderTest.Job(Spin, timeoutMs: 10_000) with { StopRequested = stop.Token });

        Assert.Equal(JobStatuses.Canceled, result.Status);
        Assert.Equal(ErrorCodes.Canceled, result.ErrorCode);
        Assert.Contains("before it started", result.Error, StringComparison.Ordinal);
        Assert.Null(result.Logs);
        Assert.Equal(0, result.ExecutionTimeMs);
        Assert.True(clock.ElapsedMilliseconds < 500, $"took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(enclave.Enclave.Id, result.EnclaveId);
    }

    [Fact]
    public async Task A_runner_that_does_not_stop_a_canceled_job_is_replaced_after_the_watchdog_grace()
    {
        await using var enclave = EnclaveUnderTest.Fake("silent", output, tee => tee.WatchdogGraceMs = GraceMs, backend);
        await enclave.StartAsync();
        var deaf = enclave.ProcessId;
        using var stop = new CancellationTokenSource(200);

        var clock = Stopwatch.StartNew();
        var result = await enclave.RunAsync(EnclaveUnderTest.Job(JobCode.Seed, JobCode.SeedInput, timeoutMs: 10_000) with { StopRequested = stop.Token });

        Assert.Equal(JobStatuses.Canceled, result.Status);
        Assert.Equal(ErrorCodes.Canceled, result.ErrorCode);
        Assert.Contains("replaced", result.Error, StringComparison.Ordinal);
        Assert.InRange(clock.ElapsedMilliseconds, 200 + GraceMs - 50, 200 + GraceMs + 2000);
        Assert.Equal(1, enclave.Enclave.Restarts);
        Assert.False(RunnerProcesses.IsRunning(deaf), $"the runner {deaf} that ignored the cancel still runs");
        Assert.NotEqual(deaf, enclave.ProcessId);
    }
}

public sealed class SimulationCancelTests(ITestOutputHelper output) : CancelTests(Backend.Simulation, output);

public sealed class OcclumCancelTests(ITestOutputHelper output) : CancelTests(Backend.Occlum, output);

/// <summary>Stops that do not depend on the backend: the host's own cancellation, and a job still waiting in the pool.</summary>
public sealed class PoolCancelTests(ITestOutputHelper output)
{
    private const string Spin = "function main() { for (;;) {} }";

    [Fact]
    public async Task The_host_giving_up_on_a_running_job_still_throws_and_the_enclave_is_replaced()
    {
        await using var enclave = EnclaveUnderTest.Real(output);
        await enclave.StartAsync();
        using var shutdown = new CancellationTokenSource(300);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => enclave.Enclave.ExecuteAsync(EnclaveUnderTest.Job(Spin, timeoutMs: 10_000), shutdown.Token));

        Assert.Equal(1, enclave.Enclave.Restarts);
    }

    [Fact]
    public async Task A_job_waiting_for_a_free_enclave_is_answered_Canceled_without_an_enclave_when_its_stop_is_requested()
    {
        var tee = EnclaveUnderTest.DefaultOptions(RunnerPaths.RealRunner);
        tee.Workers = 1;
        var (pool, _) = EnclaveUnderTest.Pool(tee, output);
        await using var disposePool = pool;
        using var hang = new CancellationTokenSource(EnclaveUnderTest.HangLimit);
        await pool.StartAsync(hang.Token);
        var busy = pool.ExecuteAsync(EnclaveUnderTest.Job(JobCode.InfiniteLoop, timeoutMs: 1500), hang.Token);
        using var stop = new CancellationTokenSource(200);

        var clock = Stopwatch.StartNew();
        var waiting = await pool.ExecuteAsync(EnclaveUnderTest.Job(JobCode.Seed, JobCode.SeedInput) with { StopRequested = stop.Token }, hang.Token);

        Assert.Equal(JobStatuses.Canceled, waiting.Status);
        Assert.Null(waiting.EnclaveId);
        Assert.True(clock.ElapsedMilliseconds < 1000, $"took {clock.ElapsedMilliseconds} ms: it waited for the enclave");
        Assert.Equal(JobStatuses.TimedOut, (await busy).Status);
        Assert.Equal(JobCode.SeedResult, (await pool.ExecuteAsync(EnclaveUnderTest.Job(JobCode.Seed, JobCode.SeedInput), hang.Token)).Result);
    }
}
