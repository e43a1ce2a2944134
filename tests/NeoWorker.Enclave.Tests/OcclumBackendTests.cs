using Microsoft.Extensions.Options;
using NeoWorker.Contracts;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Occlum;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// The Occlum backend through the real runner, with the stand-in occlum tool: per-slot instance
/// copies, the start command and environment, restarts in the same copy.
/// </summary>
public sealed class OcclumBackendTests(OcclumTemplate template, ITestOutputHelper output) : IClassFixture<OcclumTemplate>
{
    [Fact]
    public async Task The_seed_example_runs_in_the_slot_s_own_instance_copy()
    {
        var tee = template.Options(template.NewTempDir());
        var slot = OcclumTemplate.NextSlot();
        using var launcher = new OcclumRunnerLauncher(Options.Create(tee));
        await using var enclave = new RunnerEnclave(slot, launcher, tee, new TestOutputLogger<RunnerEnclave>(output));

        var result = await RunSeedAsync(enclave);

        Assert.Equal(JobStatuses.Succeeded, result.Status);
        Assert.Equal(JobCode.SeedResult, result.Result);
        Assert.True(enclave.IsSimulated);

        var instance = launcher.InstanceDirectory(slot);
        Assert.Equal(Path.Combine(tee.Occlum.TempDir, $"instance-{slot}"), instance);
        Assert.True(File.Exists(Path.Combine(instance, "Occlum.json")));
        Assert.True(File.Exists(Path.Combine(instance, OcclumRunnerLauncher.StampFile)));
        Assert.Equal(RunnerPaths.RealRunner, new DirectoryInfo(Path.Combine(instance, "image", "app")).LinkTarget); // copied as a link

        // Started as `occlum run /bin/node … /app/src/index.js` in the copy, with only what occlum needs.
        var pid = Assert.Single(RunnerProcesses.OfSlot(slot));
        Assert.Equal(instance, Path.GetFullPath(new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget!));
        var environment = RunnerProcesses.EnvironmentOf(pid);
        Assert.Contains("SGX_MODE=SIM", environment);
        Assert.Contains("OCCLUM_LOG_LEVEL=warn", environment);
        string[] allowed = ["PATH", "OCCLUM_LOG_LEVEL", "SGX_MODE", "NEOWORKER_ENCLAVE_SLOT", "PWD", "OLDPWD", "SHLVL", "_"];
        Assert.All(environment, entry => Assert.Contains(entry[..entry.IndexOf('=', StringComparison.Ordinal)], allowed));
        Assert.Contains("run /bin/node --no-node-snapshot --max-old-space-size=256 /app/src/index.js",
            await File.ReadAllTextAsync(Path.Combine(instance, "log", "occlum.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_instance_copy_is_made_once_and_reused_across_a_restart()
    {
        var tee = template.Options(template.NewTempDir());
        var slot = OcclumTemplate.NextSlot();
        using var launcher = new OcclumRunnerLauncher(Options.Create(tee));
        await using var enclave = new RunnerEnclave(slot, launcher, tee, new TestOutputLogger<RunnerEnclave>(output));
        Assert.Equal(JobStatuses.Succeeded, (await RunSeedAsync(enclave)).Status);

        // Anything the first copy holds survives the restart: the copy is not made again.
        var marker = Path.Combine(launcher.InstanceDirectory(slot), "marker");
        await File.WriteAllTextAsync(marker, "first copy");
        var killed = Assert.Single(RunnerProcesses.OfSlot(slot));
        RunnerProcesses.Kill(killed);
        await RunnerProcesses.WaitUntilGoneAsync(killed, TimeSpan.FromSeconds(5));

        var next = await RunSeedAsync(enclave);

        Assert.Equal(JobStatuses.Succeeded, next.Status);
        Assert.Equal(JobCode.SeedResult, next.Result);
        Assert.Equal(1, enclave.Restarts);
        Assert.NotEqual(killed, Assert.Single(RunnerProcesses.OfSlot(slot)));
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task A_later_worker_reuses_an_unchanged_copy_and_replaces_it_after_the_template_is_rebuilt()
    {
        // A template of this test's own: it is changed below.
        using var own = new OcclumTemplate();
        var tee = own.Options(own.NewTempDir());
        const int Slot = 0;
        string marker;
        using (var first = new OcclumRunnerLauncher(Options.Create(tee)))
        {
            first.Describe(Slot);
            marker = Path.Combine(first.InstanceDirectory(Slot), "marker");
            await File.WriteAllTextAsync(marker, "first worker");
        }

        using (var second = new OcclumRunnerLauncher(Options.Create(tee)))
        {
            second.Describe(Slot);
            Assert.True(File.Exists(marker), "an unchanged template's copy is reused");
        }

        // A rebuild changes the signed enclave under build/.
        await File.WriteAllTextAsync(Path.Combine(own.InstanceDir, "build", "lib", "libocclum-pal.so"), "rebuilt");
        using (var third = new OcclumRunnerLauncher(Options.Create(tee)))
        {
            var start = third.Describe(Slot);
            Assert.False(File.Exists(marker), "a rebuilt template's copy is replaced");
            Assert.Equal("rebuilt", await File.ReadAllTextAsync(Path.Combine(start.WorkingDirectory, "build", "lib", "libocclum-pal.so")));

            await using var enclave = new RunnerEnclave(OcclumTemplate.NextSlot(), third, tee, new TestOutputLogger<RunnerEnclave>(output));
            Assert.Equal(JobCode.SeedResult, (await RunSeedAsync(enclave)).Result);
        }

        Assert.True(Directory.Exists(RunnerPaths.RealRunner), "replacing a copy never follows its links into the runner");
        Assert.True(File.Exists(RunnerLayout.EntryPoint(RunnerPaths.RealRunner)));
    }

    [Fact]
    public void Describe_names_occlum_run_with_the_node_of_the_image_and_prepares_only_once()
    {
        var tee = template.Options(template.NewTempDir());
        tee.SimulationMode = false;
        using var launcher = new OcclumRunnerLauncher(Options.Create(tee));

        var start = launcher.Describe(7);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(start.WorkingDirectory, OcclumRunnerLauncher.StampFile));
        var again = launcher.Describe(7);

        Assert.Equal(template.Occlum, start.FileName);
        Assert.Equal(["run", "/bin/node", "--no-node-snapshot", "--max-old-space-size=256", "/app/src/index.js"], start.Arguments);
        Assert.Equal(launcher.InstanceDirectory(7), start.WorkingDirectory);
        Assert.False(start.Environment.ContainsKey("SGX_MODE"));
        Assert.Equal("7", start.Environment["NEOWORKER_ENCLAVE_SLOT"]);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(again.WorkingDirectory, OcclumRunnerLauncher.StampFile)));
    }

    [Fact]
    public void Two_workers_cannot_share_a_slot_s_instance_copy()
    {
        var tee = template.Options(template.NewTempDir());
        using var first = new OcclumRunnerLauncher(Options.Create(tee));
        using var second = new OcclumRunnerLauncher(Options.Create(tee));
        first.Describe(3);

        var error = Assert.Throws<EnclaveUnavailableException>(() => second.Describe(3));

        Assert.Contains("Tee:Occlum:TempDir", error.Message, StringComparison.Ordinal);
    }

    private static async Task<EnclaveResult> RunSeedAsync(RunnerEnclave enclave)
    {
        using var hang = new CancellationTokenSource(EnclaveUnderTest.HangLimit);
        return await enclave.ExecuteAsync(EnclaveUnderTest.Job(JobCode.Seed, JobCode.SeedInput), hang.Token);
    }
}
