using System.Diagnostics;
using NeoWorker.Contracts;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// The host-side watchdog against fake runners that hang, crash, garble the protocol or never start, in both
/// backends (the Occlum one starts them with the stand-in occlum in an instance copy whose image holds the fake).
/// </summary>
public abstract class WatchdogTests(Backend backend, ITestOutputHelper output)
{
    private const int TimeoutMs = 500;
    private const int GraceMs = 1000;

    // Room for killing the runner and starting its replacement on a busy machine.
    private const int SlackMs = 2000;

    // Room for killing a runner that is not ready in time (and, for Occlum, the stand-in's start).
    private const int StartSlackMs = 2000;

    [Fact]
    public async Task A_job_in_a_runner_that_never_answers_times_out_as_unresponsive_within_the_watchdog_limit()
    {
        await using var enclave = await StartedFakeAsync("silent", backend);
        var clock = Stopwatch.StartNew();

        var result = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput, TimeoutMs);

        Assert.Equal(JobStatuses.TimedOut, result.Status);
        Assert.Equal(ErrorCodes.EnclaveUnresponsive, result.ErrorCode);
        Assert.InRange(clock.ElapsedMilliseconds, TimeoutMs + GraceMs - 50, TimeoutMs + GraceMs + SlackMs);
    }

    [Fact]
    public async Task A_runner_that_never_answers_is_killed_and_replaced_by_a_running_one()
    {
        await using var enclave = await StartedFakeAsync("silent", backend);
        var silent = enclave.ProcessId;

        await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput, TimeoutMs);

        Assert.Equal(1, enclave.Enclave.Restarts);
        Assert.False(RunnerProcesses.IsRunning(silent), $"the unresponsive runner {silent} still runs");
        Assert.NotEqual(silent, enclave.ProcessId);
    }

    [Fact]
    public async Task A_runner_that_exits_during_a_job_fails_it_as_crashed_and_is_restarted()
    {
        await using var enclave = await StartedFakeAsync("crashing", backend);
        var crashed = enclave.ProcessId;

        var result = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput, TimeoutMs);

        Assert.Equal(JobStatuses.Failed, result.Status);
        Assert.Equal(ErrorCodes.EnclaveCrashed, result.ErrorCode);
        Assert.Contains("code 3", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, enclave.Enclave.Restarts);
        Assert.NotEqual(crashed, enclave.ProcessId);
    }

    [Fact]
    public async Task A_runner_that_answers_with_a_line_that_is_not_JSON_fails_the_job_at_once_and_is_replaced()
    {
        await using var enclave = await StartedFakeAsync("garbage", backend);
        var garbled = enclave.ProcessId;
        var clock = Stopwatch.StartNew();

        var result = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput, TimeoutMs);

        Assert.Equal(JobStatuses.Failed, result.Status);
        Assert.Equal(ErrorCodes.EnclaveCrashed, result.ErrorCode);
        Assert.True(clock.ElapsedMilliseconds < TimeoutMs + GraceMs, $"took {clock.ElapsedMilliseconds} ms: the watchdog ended it, not the protocol check");
        Assert.Equal(1, enclave.Enclave.Restarts);
        Assert.False(RunnerProcesses.IsRunning(garbled), $"the runner {garbled} that broke the protocol still runs");
    }

    [Fact]
    public async Task A_job_that_cannot_be_written_to_the_runner_is_refused_as_unavailable_and_the_runner_is_killed()
    {
        await using var enclave = await StartedFakeAsync("deaf", backend);
        var deaf = enclave.ProcessId;

        await Assert.ThrowsAsync<EnclaveUnavailableException>(() => enclave.RunAsync(JobCode.Seed, JobCode.SeedInput, TimeoutMs));

        await RunnerProcesses.WaitUntilGoneAsync(deaf, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task After_a_job_could_not_be_written_the_next_job_gets_a_new_runner()
    {
        await using var enclave = await StartedFakeAsync("deaf", backend);
        var deaf = enclave.ProcessId;
        await Assert.ThrowsAsync<EnclaveUnavailableException>(() => enclave.RunAsync(JobCode.Seed, JobCode.SeedInput, TimeoutMs));
        await RunnerProcesses.WaitUntilGoneAsync(deaf, TimeSpan.FromSeconds(5));

        // The replacement is deaf too, so this job fails the same way, but in a new runner.
        await Assert.ThrowsAsync<EnclaveUnavailableException>(() => enclave.RunAsync(JobCode.Seed, JobCode.SeedInput, TimeoutMs));

        Assert.Equal(1, enclave.Enclave.Restarts);
    }

    [Fact]
    public async Task A_runner_that_never_reports_ready_fails_to_start_within_the_start_timeout()
    {
        await using var enclave = EnclaveUnderTest.Fake("never-ready", output, tee => tee.StartTimeoutSeconds = 1, backend);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<EnclaveUnavailableException>(enclave.StartAsync);

        Assert.InRange(clock.ElapsedMilliseconds, 950, 1000 + StartSlackMs);
    }

    [Fact]
    public async Task A_runner_that_never_reports_ready_is_not_left_running()
    {
        await using var enclave = EnclaveUnderTest.Fake("never-ready", output, tee => tee.StartTimeoutSeconds = 1, backend);

        await Assert.ThrowsAsync<EnclaveUnavailableException>(enclave.StartAsync);

        Assert.Empty(RunnerProcesses.OfSlot(enclave.Slot));
    }

    private protected async Task<EnclaveUnderTest> StartedFakeAsync(string name, Backend backend)
    {
        var enclave = EnclaveUnderTest.Fake(name, output, tee => tee.WatchdogGraceMs = GraceMs, backend);
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

public sealed class SimulationWatchdogTests(ITestOutputHelper output) : WatchdogTests(Backend.Simulation, output);

public sealed class OcclumWatchdogTests(ITestOutputHelper output) : WatchdogTests(Backend.Occlum, output)
{
    [Fact]
    public async Task An_Occlum_enclave_replaced_by_the_watchdog_starts_again_in_its_own_instance_copy_and_logs_both_runs()
    {
        await using var enclave = await StartedFakeAsync("silent", Backend.Occlum);
        var instance = enclave.InstanceDirectory!;
        var first = enclave.ProcessId;

        await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput, 500);

        var second = enclave.ProcessId;
        Assert.NotEqual(first, second);
        Assert.Equal(instance, Path.GetFullPath(new DirectoryInfo($"/proc/{second}/cwd").LinkTarget!));
        var runs = File.ReadAllLines(Path.Combine(instance, "log", "occlum.log")).Count(line => line.Contains("run /bin/node", StringComparison.Ordinal));
        Assert.Equal(2, runs);
    }
}
