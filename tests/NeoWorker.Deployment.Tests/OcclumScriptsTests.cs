using System.Text.Json;
using NeoWorker.Deployment.Tests.Infrastructure;

namespace NeoWorker.Deployment.Tests;

/// <summary>
/// ops/build_occlum.sh (with docker/occlum/build_instance.sh and the Occlum.json template) and
/// ops/run_occlum.sh, run for real with a stand-in `occlum` and `copy_bom` first on PATH
/// (FakeOcclum/): the instance layout, the generated Occlum.json and the self-test's job round trip
/// are checked here; only the enclave itself needs SGX. Needs Node.js and the runner's node_modules
/// (ops/deps.sh).
/// </summary>
public sealed class OcclumScriptsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neoworker-occlum-test-").FullName;

    private string Instance => Path.Combine(_directory, "occlum_instance");

    [Fact]
    public async Task A_simulation_instance_is_built_from_the_runner_and_passes_the_self_test()
    {
        var build = await RunAsync("ops/build_occlum.sh", ["--instance", Instance, "--sgx-mode", "SIM"],
            ("Tee__Occlum__MaxMemoryMB", "768"), ("Tee__Occlum__MaxThreads", "24"));

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(File.Exists(Path.Combine(Instance, "image", "bin", "node")));
        Assert.True(File.Exists(Path.Combine(Instance, "image", "app", "src", "index.js")));
        Assert.True(File.Exists(Path.Combine(Instance, "image", "app", "node_modules", "isolated-vm", "out", "isolated_vm.node")));
        Assert.False(Directory.Exists(Path.Combine(Instance, "image", "app", "test")), "the runner's tests do not belong in the enclave");
        Assert.Equal("SIM", (await File.ReadAllTextAsync(Path.Combine(Instance, ".sgx_mode"))).Trim());

        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Instance, "Occlum.json")));
        var root = config.RootElement;
        Assert.Equal("768MB", root.GetProperty("resource_limits").GetProperty("user_space_size").GetString());
        Assert.Equal(24, root.GetProperty("resource_limits").GetProperty("max_num_of_threads").GetInt32());
        Assert.False(root.GetProperty("metadata").GetProperty("debuggable").GetBoolean());
        Assert.Contains("/bin", root.GetProperty("entry_points").EnumerateArray().Select(e => e.GetString()));
        Assert.False(root.TryGetProperty("//", out _), "the template's comment must not reach Occlum.json");
        Assert.DoesNotContain("@", root.GetRawText(), StringComparison.Ordinal);
        var measured = root.GetProperty("env").GetProperty("default").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.DoesNotContain(measured, e => e.StartsWith("NEOWORKER_EVIDENCE=", StringComparison.Ordinal));
        Assert.DoesNotContain(measured, e => e.StartsWith("NEOWORKER_KEY_RELEASE=", StringComparison.Ordinal)); // no quote in SGX simulation

        var run = await RunAsync("ops/run_occlum.sh", ["--instance", Instance, "--self-test"]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Occlum self-test passed: {\"result\":84} in SIM mode", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_an_enclave_cannot_run_with_are_refused_naming_the_setting()
    {
        var build = await RunAsync("ops/build_occlum.sh", ["--instance", Instance, "--sgx-mode", "SIM"], ("Tee__Occlum__MaxMemoryMB", "64"));

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("Tee__Occlum__MaxMemoryMB", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_occlum_installed_both_scripts_say_so_and_what_to_do_instead()
    {
        var path = "/usr/bin:/bin";

        var build = await RunAsync("ops/build_occlum.sh", ["--instance", Instance], path);
        var run = await RunAsync("ops/run_occlum.sh", ["--instance", Instance], path);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("'occlum' is not installed", build.Output, StringComparison.Ordinal);
        Assert.Contains("--docker", build.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'occlum' is not installed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_an_instance_that_was_never_built_names_the_instance_directory()
    {
        var run = await RunAsync("ops/run_occlum.sh", ["--instance", Instance]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"no Occlum instance at {Instance}", run.Output, StringComparison.Ordinal);
        Assert.Contains("ops/build_occlum.sh", run.Output, StringComparison.Ordinal);
    }

    private Task<ProcessResult> RunAsync(string script, string[] arguments, params (string Key, string Value)[] environment) =>
        RunAsync(script, arguments, Repository.FakeOcclum + ":" + Environment.GetEnvironmentVariable("PATH"), environment);

    private Task<ProcessResult> RunAsync(string script, string[] arguments, string path, params (string Key, string Value)[] environment)
    {
        var variables = new Dictionary<string, string>
        {
            ["PATH"] = path,
            ["TMPDIR"] = _directory,
            ["OCCLUM_SIMULATION"] = "",
            ["SGX_MODE"] = "",
        };
        foreach (var (key, value) in environment)
        {
            variables[key] = value;
        }

        return Processes.RunAsync("bash", [Repository.File(script.Split('/')), .. arguments], variables, TimeSpan.FromMinutes(3));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
