using NeoWorker.Contracts;

namespace NeoWorker.Enclave.Tests;

/// <summary>The runner starts with a cleared environment, and job code cannot reach Node's process object.</summary>
public sealed class EnclaveEnvironmentTests : IAsyncLifetime
{
    private const string Marker = "SECRET_MARKER";
    private readonly EnclaveUnderTest enclave;

    public EnclaveEnvironmentTests(ITestOutputHelper output)
    {
        // Stands in for the worker's connection strings and passwords; set before the runner starts.
        Environment.SetEnvironmentVariable(Marker, "host-only-value");
        enclave = EnclaveUnderTest.Real(output);
    }

    public Task InitializeAsync() => enclave.StartAsync();

    public Task DisposeAsync() => enclave.DisposeAsync().AsTask();

    [Fact]
    public async Task A_job_cannot_see_the_process_object()
    {
        var result = await enclave.RunAsync(JobCode.TypeOfProcess);

        Assert.Equal(JobStatuses.Succeeded, result.Status);
        Assert.Equal("\"undefined\"", result.Result);
    }

    [Fact]
    public void The_runner_process_does_not_inherit_the_host_environment()
    {
        Assert.Equal("host-only-value", Environment.GetEnvironmentVariable(Marker));

        var environment = RunnerProcesses.EnvironmentOf(enclave.ProcessId);

        Assert.Contains("NEOWORKER_SIMULATED=1", environment);
        Assert.DoesNotContain(environment, entry => entry.StartsWith(Marker, StringComparison.Ordinal));
    }
}
