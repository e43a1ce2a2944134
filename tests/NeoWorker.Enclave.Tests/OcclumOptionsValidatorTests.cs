using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using NeoWorker.Enclave.Configuration;

namespace NeoWorker.Enclave.Tests;

/// <summary>Start-up checks of Tee:Type=Occlum; each failure names the key to fix and what to do.</summary>
public sealed class OcclumOptionsValidatorTests(OcclumTemplate template) : IClassFixture<OcclumTemplate>
{
    private static readonly TeeOptionsValidator Production = new(new HostEnvironment(Environments.Production));
    private static readonly TeeOptionsValidator Development = new(new HostEnvironment(Environments.Development));

    [Fact]
    public void A_valid_Occlum_section_passes()
    {
        var result = Development.Validate(null, Valid());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Simulation_outside_Development_with_AllowSimulation_passes()
    {
        var result = Production.Validate(null, Valid());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_missing_instance_fails_naming_Tee_Occlum_InstanceDir_and_the_build_script()
    {
        var tee = Valid();
        tee.Occlum.InstanceDir = Path.Combine(template.Root, "no-such-instance");

        var failure = SingleFailure(Development, tee);

        Assert.Contains("Tee:Occlum:InstanceDir", failure, StringComparison.Ordinal);
        Assert.Contains("ops/build_occlum.sh", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_occlum_tool_fails_naming_the_key_and_the_alternatives()
    {
        var tee = Valid();
        tee.Occlum.OcclumPath = "occlum-not-installed-here";

        var failure = SingleFailure(Development, tee);

        Assert.Contains("Tee:Occlum:OcclumPath", failure, StringComparison.Ordinal);
        Assert.Contains("not on PATH", failure, StringComparison.Ordinal);
        Assert.Contains("install Occlum", failure, StringComparison.Ordinal);
        Assert.Contains("Tee:Type=Simulation", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_outside_Development_without_AllowSimulation_fails_naming_Tee_AllowSimulation()
    {
        var tee = Valid();
        tee.AllowSimulation = false;

        var failure = SingleFailure(Production, tee);

        Assert.Contains("Tee:AllowSimulation", failure, StringComparison.Ordinal);
        Assert.Contains("Tee:SimulationMode", failure, StringComparison.Ordinal);
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
    public void A_simulation_instance_run_as_hardware_fails_naming_Tee_SimulationMode()
    {
        var tee = Valid();
        tee.SimulationMode = false;

        var failure = SingleFailure(Development, tee);

        Assert.Contains("Tee:SimulationMode", failure, StringComparison.Ordinal);
        Assert.Contains("SGX simulation", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_NodeJsPath_not_in_the_image_fails_naming_Tee_Occlum_NodeJsPath()
    {
        var tee = Valid();
        tee.Occlum.NodeJsPath = "/usr/local/bin/node";

        var failure = SingleFailure(Development, tee);

        Assert.Contains("Tee:Occlum:NodeJsPath", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_memory_limit_other_than_the_instance_was_built_with_fails_naming_Tee_Occlum_MaxMemoryMB()
    {
        var tee = Valid();
        tee.Occlum.MaxMemoryMB = 2048;

        var failure = SingleFailure(Development, tee);

        Assert.Contains("Tee:Occlum:MaxMemoryMB", failure, StringComparison.Ordinal);
        Assert.Contains($"{OcclumTemplate.MaxMemoryMB}MB", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_memory_limit_too_small_for_Node_fails_naming_Tee_Occlum_MaxMemoryMB()
    {
        var tee = Valid();
        tee.Occlum.MaxMemoryMB = 128;

        var result = Development.Validate(null, tee);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Tee:Occlum:MaxMemoryMB (128) is too small", StringComparison.Ordinal));
    }

    [Fact]
    public void A_TempDir_that_cannot_be_written_fails_naming_Tee_Occlum_TempDir()
    {
        var tee = Valid();
        tee.Occlum.TempDir = Path.Combine(template.InstanceDir, "Occlum.json", "runs"); // under a file

        var failure = SingleFailure(Development, tee);

        Assert.Contains("Tee:Occlum:TempDir", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Occlum_does_not_need_Tee_EnclavePath()
    {
        var tee = Valid();
        tee.EnclavePath = "";

        var result = Development.Validate(null, tee);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Key_release_from_an_instance_that_does_not_request_its_key_fails_naming_the_setting_and_the_rebuild()
    {
        var tee = Valid();
        tee.SealingKeySource = SealingKeySource.Release;
        tee.KeyRelease.RequestDirectory = template.NewTempDir();

        var failure = SingleFailure(Development, tee);

        Assert.Contains("Tee:SealingKeySource", failure, StringComparison.Ordinal);
        Assert.Contains("NEOWORKER_KEY_RELEASE=request", failure, StringComparison.Ordinal);
        Assert.Contains("--sgx-mode HW", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_release_from_an_instance_whose_measured_environment_requests_its_key_passes()
    {
        var tee = Valid();
        var instance = Path.Combine(template.NewTempDir(), "instance");
        Occlum.OcclumInstance.CopyTree(template.InstanceDir, instance);
        var config = Path.Combine(instance, "Occlum.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"HOME=/root\"", "\"HOME=/root\", \"NEOWORKER_KEY_RELEASE=request\", \"NEOWORKER_KEY_STORE=/keys\"", StringComparison.Ordinal));
        tee.Occlum.InstanceDir = instance;
        tee.SealingKeySource = SealingKeySource.Release;
        tee.KeyRelease.RequestDirectory = template.NewTempDir();

        var result = Development.Validate(null, tee);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Sealing_key_files_on_Occlum_fail_naming_them_and_the_release()
    {
        var tee = Valid();
        tee.Simulation.SealingKeyFiles = [Path.Combine(template.InstanceDir, "Occlum.json")];

        var failure = SingleFailure(Development, tee);

        Assert.Contains("Tee:Simulation:SealingKeyFiles", failure, StringComparison.Ordinal);
        Assert.Contains("Tee:SealingKeySource=Release", failure, StringComparison.Ordinal);
    }

    private TeeOptions Valid() => template.Options(template.NewTempDir());

    private static string SingleFailure(TeeOptionsValidator validator, TeeOptions tee)
    {
        var result = validator.Validate(null, tee);
        Assert.True(result.Failed, "the section should fail validation");
        return Assert.Single(result.Failures!);
    }

    private sealed class HostEnvironment(string environmentName) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = environmentName;

        public string ApplicationName { get; set; } = "NeoWorker.Enclave.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
