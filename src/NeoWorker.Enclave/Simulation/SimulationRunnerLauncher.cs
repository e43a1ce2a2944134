using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Protocol;

namespace NeoWorker.Enclave.Simulation;

/// <summary>Simulation backend: the same runner as inside Occlum, run by the host's Node.js.</summary>
internal sealed class SimulationRunnerLauncher(IOptions<TeeOptions> options) : IRunnerLauncher
{
    public bool IsSimulated => true;

    public RunnerStartInfo Describe(int slot)
    {
        var tee = options.Value;
        var runnerDirectory = Path.GetFullPath(tee.EnclavePath);
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["NODE_ENV"] = "production",
            ["NEOWORKER_ENCLAVE_SLOT"] = slot.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NEOWORKER_SIMULATED"] = "1",
        };
        if (!string.IsNullOrWhiteSpace(tee.Simulation.AttestationKeyFile) && !string.IsNullOrWhiteSpace(tee.Simulation.AttestationChainFile))
        {
            environment["NEOWORKER_SIM_ATTESTATION_KEY_FILE"] = Path.GetFullPath(tee.Simulation.AttestationKeyFile);
            environment["NEOWORKER_SIM_ATTESTATION_CHAIN_FILE"] = Path.GetFullPath(tee.Simulation.AttestationChainFile);
        }

        if (tee.SealingKeySource == SealingKeySource.Release)
        {
            // The runner asks for its keys (its request bound to its evidence) and keeps them in its own store: here a
            // plain directory per slot, standing in for the encrypted file system of the slot's Occlum instance.
            environment["NEOWORKER_KEY_RELEASE"] = "request";
            environment["NEOWORKER_KEY_STORE"] = StoreDirectory(tee, slot);
        }
        else if (tee.Simulation.SealingKeyFiles.Count > 0)
        {
            // Paths only: the runner reads the keys itself, so they never pass through this process's pipes.
            environment["NEOWORKER_SEALING_KEY_FILES"] = string.Join(Path.PathSeparator, tee.Simulation.SealingKeyFiles.Select(Path.GetFullPath));
        }

        // --no-node-snapshot: isolated-vm needs it on Node 20; the heap cap bounds the whole enclave.
        string[] arguments =
        [
            "--no-node-snapshot",
            $"--max-old-space-size={tee.Occlum.MaxMemoryMB}",
            RunnerLayout.EntryPoint(runnerDirectory),
        ];
        return new RunnerStartInfo(tee.Simulation.NodePath, arguments, runnerDirectory, environment);
    }

    /// <summary>Where the simulated enclave of <paramref name="slot"/> keeps its released keys: <c>Tee:KeyRelease:StoreDirectory/slot-&lt;n&gt;</c>.</summary>
    public static string StoreDirectory(TeeOptions tee, int slot) =>
        Path.Combine(Path.GetFullPath(tee.KeyRelease.StoreDirectory), "slot-" + slot.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
