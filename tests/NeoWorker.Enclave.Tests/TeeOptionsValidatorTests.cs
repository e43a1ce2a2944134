using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using NeoWorker.Enclave.Configuration;

namespace NeoWorker.Enclave.Tests;

/// <summary>Cross-field rules of the Tee section; each failure names the key to fix.</summary>
public sealed class TeeOptionsValidatorTests
{
    private static readonly TeeOptionsValidator Production = new(new TestHostEnvironment(Environments.Production));
    private static readonly TeeOptionsValidator Development = new(new TestHostEnvironment(Environments.Development));

    [Fact]
    public void A_valid_section_passes()
    {
        var result = Production.Validate(null, Valid());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Simulation_outside_Development_without_AllowSimulation_fails_naming_Tee_AllowSimulation()
    {
        var tee = Valid();
        tee.AllowSimulation = false;

        var result = Production.Validate(null, tee);

        Assert.True(result.Failed);
        Assert.Contains("Tee:AllowSimulation", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_in_Development_passes_without_AllowSimulation()
    {
        var tee = Valid();
        tee.AllowSimulation = false;

        var result = Development.Validate(null, tee);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_missing_EnclavePath_fails_naming_Tee_EnclavePath()
    {
        var tee = Valid();
        tee.EnclavePath = "";

        var result = Production.Validate(null, tee);

        Assert.True(result.Failed);
        Assert.Contains("Tee:EnclavePath", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_EnclavePath_without_the_runner_fails_naming_Tee_EnclavePath()
    {
        var tee = Valid();
        tee.EnclavePath = AppContext.BaseDirectory;

        var result = Production.Validate(null, tee);

        Assert.True(result.Failed);
        Assert.Contains("Tee:EnclavePath", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1024, 1024)]
    [InlineData(2048, 1024)]
    public void A_job_memory_limit_not_below_the_enclave_memory_fails_naming_both_keys(int jobMemoryMb, int enclaveMemoryMb)
    {
        var tee = Valid();
        tee.Limits.JobMemoryMB = jobMemoryMb;
        tee.Occlum.MaxMemoryMB = enclaveMemoryMb;

        var result = Production.Validate(null, tee);

        Assert.True(result.Failed);
        Assert.Contains("Tee:Limits:JobMemoryMB", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Tee:Occlum:MaxMemoryMB", result.FailureMessage, StringComparison.Ordinal);
    }

    // Any folder holding src/index.js will do; the fakes ship with this assembly.
    private static TeeOptions Valid() => EnclaveUnderTest.DefaultOptions(RunnerPaths.FakeRunner("silent"));

    private sealed class TestHostEnvironment(string environmentName) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = environmentName;

        public string ApplicationName { get; set; } = "NeoWorker.Enclave.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
