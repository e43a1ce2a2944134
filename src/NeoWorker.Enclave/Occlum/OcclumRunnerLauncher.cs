using System.Globalization;
using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Protocol;

namespace NeoWorker.Enclave.Occlum;

/// <summary>
/// Occlum backend: each enclave slot runs <c>occlum run /bin/node … /app/src/index.js</c> in its own copy of
/// the built instance (Occlum runs one enclave per instance directory), <c>Tee:Occlum:TempDir/instance-&lt;slot&gt;</c>.
/// The copy is made as ops/run_occlum.sh makes it (<c>cp -a</c> of the built template, no rebuild: the
/// signed enclave in build/ is the template's), once per slot on its first start; restarts reuse it. A copy
/// left by an earlier worker is reused when its stamp matches the template and replaced when the template
/// was rebuilt since. A lock file per slot keeps two workers from sharing one copy.
/// </summary>
internal sealed class OcclumRunnerLauncher(IOptions<TeeOptions> options) : IRunnerLauncher, IDisposable
{
    /// <summary>In each copy: the stamp of the template it was copied from (<see cref="OcclumInstance.Stamp"/>).</summary>
    public const string StampFile = ".neoworker-template-stamp";

    private readonly Lock _sync = new();
    private readonly Dictionary<int, string> _prepared = [];
    private readonly Dictionary<int, FileStream> _locks = [];
    private string? _occlum;
    private bool _disposed;

    public bool IsSimulated => options.Value.SimulationMode || Environment.GetEnvironmentVariable("OCCLUM_SIMULATION") == "1";

    /// <summary>The instance copy of enclave <paramref name="slot"/>.</summary>
    public string InstanceDirectory(int slot) =>
        Path.Combine(Path.GetFullPath(options.Value.Occlum.TempDir), "instance-" + slot.ToString(CultureInfo.InvariantCulture));

    public RunnerStartInfo Describe(int slot)
    {
        var tee = options.Value;
        string instance;
        string occlum;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            occlum = _occlum ??= OcclumInstance.ResolveTool(tee.Occlum.OcclumPath)
                ?? throw new EnclaveUnavailableException(
                    $"Tee:Occlum:OcclumPath '{tee.Occlum.OcclumPath}' is not on PATH: install Occlum 0.31 or use Tee:Type=Simulation.");
            if (!_prepared.TryGetValue(slot, out var prepared))
            {
                prepared = Prepare(slot);
                _prepared[slot] = prepared;
            }

            instance = prepared;
        }

        // Only what occlum itself needs: the runner's configuration is Occlum.json's measured env.default;
        // NEOWORKER_ENCLAVE_SLOT is the one untrusted variable Occlum.json lets through.
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["OCCLUM_LOG_LEVEL"] = tee.Occlum.LogLevel,
            ["NEOWORKER_ENCLAVE_SLOT"] = slot.ToString(CultureInfo.InvariantCulture),
        };
        if (IsSimulated)
        {
            environment["SGX_MODE"] = "SIM";
        }

        // --no-node-snapshot: isolated-vm needs it on Node 20. The enclave's user space (MaxMemoryMB) holds
        // Node itself and the job isolates too, so V8's old space gets half of it (as ops/run_occlum.sh).
        string[] arguments =
        [
            "run",
            tee.Occlum.NodeJsPath,
            "--no-node-snapshot",
            "--max-old-space-size=" + (tee.Occlum.MaxMemoryMB / 2).ToString(CultureInfo.InvariantCulture),
            OcclumInstance.RunnerEntryPoint,
        ];
        return new RunnerStartInfo(occlum, arguments, instance, environment);
    }

    private string Prepare(int slot)
    {
        var tee = options.Value;
        var template = Path.GetFullPath(tee.Occlum.InstanceDir);
        var instance = InstanceDirectory(slot);
        var tempDir = Path.GetDirectoryName(instance)!;
        try
        {
            if (!File.Exists(Path.Combine(template, OcclumInstance.ConfigFile)))
            {
                throw new EnclaveUnavailableException(
                    $"Tee:Occlum:InstanceDir '{template}' holds no Occlum instance ({OcclumInstance.ConfigFile} is missing): build it with ops/build_occlum.sh.");
            }

            Directory.CreateDirectory(tempDir);
            TakeLock(slot, instance);

            var stamp = OcclumInstance.Stamp(template);
            var stampFile = Path.Combine(instance, StampFile);
            if (!File.Exists(stampFile) || File.ReadAllText(stampFile) != stamp)
            {
                // Copy beside, then swap in: a crash half-way leaves a staging directory, never a half copy.
                var staging = Path.Combine(tempDir, $".instance-{slot.ToString(CultureInfo.InvariantCulture)}.staging");
                DeleteTree(staging);
                OcclumInstance.CopyTree(template, staging);
                File.WriteAllText(Path.Combine(staging, StampFile), stamp);
                DeleteTree(instance);
                Directory.Move(staging, instance);
            }

            // The seed's troubleshooting guide points at <instance>/log/occlum.log.
            Directory.CreateDirectory(Path.Combine(instance, "log"));
            return instance;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnclaveUnavailableException(
                $"Enclave slot {slot}: could not copy the Occlum instance '{template}' to '{instance}' (Tee:Occlum:TempDir): {ex.Message}", ex);
        }
    }

    private void TakeLock(int slot, string instance)
    {
        if (_locks.ContainsKey(slot))
        {
            return;
        }

        try
        {
            // FileShare.None is an exclusive flock on Unix: released when this worker ends, however it ends.
            _locks[slot] = new FileStream(instance + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new EnclaveUnavailableException(
                $"Enclave slot {slot}: another worker uses '{instance}'; give each worker its own Tee:Occlum:TempDir.", ex);
        }
    }

    private static void DeleteTree(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            foreach (var stream in _locks.Values)
            {
                stream.Dispose();
            }

            _locks.Clear();
        }
    }
}
