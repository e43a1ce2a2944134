using NeoWorker.Contracts;

namespace NeoWorker.Enclave.Tests;

/// <summary>A real runner that dies between jobs is replaced before the next job, in both backends.</summary>
public sealed class RunnerRestartTests(ITestOutputHelper output)
{
    public static TheoryData<Backend> Backends => EnclaveUnderTest.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_runner_killed_between_jobs_is_replaced_and_the_next_job_succeeds(Backend backend)
    {
        await using var enclave = EnclaveUnderTest.Real(output, backend: backend);
        await enclave.StartAsync();
        Assert.Equal(JobStatuses.Succeeded, (await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput)).Status);
        var killed = enclave.ProcessId;
        RunnerProcesses.Kill(killed);
        await RunnerProcesses.WaitUntilGoneAsync(killed, TimeSpan.FromSeconds(5));

        var next = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);

        Assert.Equal(JobStatuses.Succeeded, next.Status);
        Assert.Equal(JobCode.SeedResult, next.Result);
        Assert.Equal(1, enclave.Enclave.Restarts);
        Assert.NotEqual(killed, enclave.ProcessId);
    }
}
