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
    [Fact]
    public void A_key_release_section_passes()
    {
        var result = Production.Validate(null, WithKeyRelease());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("RequestDirectory", "Tee:KeyRelease:RequestDirectory")]
    [InlineData("StoreDirectory", "Tee:KeyRelease:StoreDirectory")]
    [InlineData("AttestationKeyFile", "Tee:Simulation:AttestationKeyFile")]
    [InlineData("KeyFiles", "Tee:Simulation:SealingKeyFiles")]
    [InlineData("KeyIds", "Tee:KeyRelease:KeyIds:0")]
    [InlineData("PollMs", "Tee:KeyRelease:PollMs")]
    public void A_key_release_section_missing_a_part_fails_naming_the_key(string change, string key)
    {
        var tee = WithKeyRelease();
        switch (change)
        {
            case "RequestDirectory": tee.KeyRelease.RequestDirectory = ""; break;
            case "StoreDirectory": tee.KeyRelease.StoreDirectory = " "; break;
            case "AttestationKeyFile": tee.Simulation.AttestationKeyFile = null; break;
            case "KeyFiles": tee.Simulation.SealingKeyFiles = [typeof(TeeOptionsValidatorTests).Assembly.Location]; break;
            case "KeyIds": tee.KeyRelease.KeyIds = ["not a key id"]; break;
            case "PollMs": tee.KeyRelease.PollMs = 0; break;
        }

        var result = Production.Validate(null, tee);

        Assert.True(result.Failed);
        Assert.Contains(key, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_request_directory_fails_naming_it()
    {
        var tee = WithKeyRelease();
        var file = Path.GetTempFileName();
        tee.KeyRelease.RequestDirectory = Path.Combine(file, "requests"); // under a file: cannot be created
        try
        {
            var result = Production.Validate(null, tee);

            Assert.Contains("Tee:KeyRelease:RequestDirectory", Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static TeeOptions WithKeyRelease()
    {
        var tee = Valid();
        var existing = typeof(TeeOptionsValidatorTests).Assembly.Location;
        tee.SealingKeySource = SealingKeySource.Release;
        tee.KeyRelease.RequestDirectory = Path.Combine(Path.GetTempPath(), "neoworker-validator-requests");
        tee.KeyRelease.StoreDirectory = Path.Combine(Path.GetTempPath(), "neoworker-validator-store");
        tee.KeyRelease.KeyIds = ["AbCdEfGhIjKl-_09"];
        tee.Simulation.AttestationKeyFile = existing;
        tee.Simulation.AttestationChainFile = existing;
        return tee;
    }

    private static TeeOptions Valid() => EnclaveUnderTest.DefaultOptions(RunnerPaths.FakeRunner("silent"));

    private sealed class TestHostEnvironment(string environmentName) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = environmentName;

        public string ApplicationName { get; set; } = "NeoWorker.Enclave.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
