using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using NeoWorker.Enclave.Configuration;

namespace NeoWorker.Enclave.Occlum;

/// <summary>
/// Start-up checks of <c>Tee:Type=Occlum</c>: the seed's troubleshooting cases (instance not found,
/// Node.js not in the image, no permission, limits that cannot fit) as one line each naming the key.
/// </summary>
internal static class OcclumChecks
{
    /// <summary>Node.js alone needs about 100 MB; build_instance.sh refuses less than this.</summary>
    public const int MinimumMemoryMB = 256;

    /// <summary>Node.js starts several threads; build_instance.sh refuses fewer than this.</summary>
    public const int MinimumThreads = 8;

    public const string SgxDevice = "/dev/sgx_enclave";

    public static void Validate(TeeOptions options, IHostEnvironment environment, List<string> failures)
    {
        var occlum = options.Occlum;
        var simulated = options.SimulationMode || Environment.GetEnvironmentVariable("OCCLUM_SIMULATION") == "1";

        // Production never falls back to simulation silently.
        if (simulated && !options.AllowSimulation && !environment.IsDevelopment())
        {
            failures.Add($"Tee:Type=Occlum runs in SGX simulation (Tee:SimulationMode=true or OCCLUM_SIMULATION=1) in environment "
                + $"'{environment.EnvironmentName}': a simulated enclave proves nothing. Set Tee:AllowSimulation=true to run it anyway, "
                + "or run an instance built for SGX hardware (ops/build_occlum.sh --sgx-mode HW) without Tee:SimulationMode.");
        }

        if (OcclumInstance.ResolveTool(occlum.OcclumPath) is null)
        {
            failures.Add($"Tee:Occlum:OcclumPath '{occlum.OcclumPath}' is not on PATH: install Occlum 0.31 (it puts occlum in "
                + "/opt/occlum/build/bin), use the Occlum worker image (docker/occlum), or use Tee:Type=Simulation.");
        }

        if (occlum.MaxMemoryMB < MinimumMemoryMB)
        {
            failures.Add($"Tee:Occlum:MaxMemoryMB ({occlum.MaxMemoryMB}) is too small for Node.js in an enclave: at least {MinimumMemoryMB}.");
        }

        if (occlum.MaxThreads < MinimumThreads)
        {
            failures.Add($"Tee:Occlum:MaxThreads ({occlum.MaxThreads}) is too small for Node.js, which starts several threads: at least {MinimumThreads}.");
        }

        if (!occlum.NodeJsPath.StartsWith('/'))
        {
            failures.Add($"Tee:Occlum:NodeJsPath '{occlum.NodeJsPath}' must be an absolute path inside the enclave image, such as /bin/node.");
        }

        CheckInstance(options, simulated, failures);
        CheckTempDir(occlum.TempDir, failures);
    }

    private static void CheckInstance(TeeOptions options, bool simulated, List<string> failures)
    {
        var occlum = options.Occlum;
        if (string.IsNullOrWhiteSpace(occlum.InstanceDir))
        {
            failures.Add("Tee:Occlum:InstanceDir is required: the Occlum instance built by ops/build_occlum.sh.");
            return;
        }

        var instance = Path.GetFullPath(occlum.InstanceDir);
        if (!Directory.Exists(instance) || !File.Exists(Path.Combine(instance, OcclumInstance.ConfigFile)))
        {
            failures.Add($"Tee:Occlum:InstanceDir '{instance}' holds no Occlum instance ({OcclumInstance.ConfigFile} not found): "
                + "build it with ops/build_occlum.sh (or docker/occlum/build_instance.sh) and point Tee:Occlum:InstanceDir at it.");
            return;
        }

        try
        {
            if (!Directory.Exists(Path.Combine(instance, OcclumInstance.BuildDirectory)))
            {
                failures.Add($"Tee:Occlum:InstanceDir '{instance}' was never built (no build/ directory): run ops/build_occlum.sh.");
            }

            if (occlum.NodeJsPath.StartsWith('/') && !File.Exists(OcclumInstance.ImagePath(instance, occlum.NodeJsPath)))
            {
                failures.Add($"Tee:Occlum:NodeJsPath '{occlum.NodeJsPath}' is not in the image of the instance at '{instance}' "
                    + $"({OcclumInstance.ImagePath(instance, occlum.NodeJsPath)} not found): rebuild it with ops/build_occlum.sh --force.");
            }

            if (!File.Exists(OcclumInstance.ImagePath(instance, OcclumInstance.RunnerEntryPoint)))
            {
                failures.Add($"Tee:Occlum:InstanceDir '{instance}' has no runner in its image at {OcclumInstance.RunnerEntryPoint}: "
                    + "rebuild it with ops/build_occlum.sh --force.");
            }

            CheckLimits(instance, occlum, failures);
            CheckSgxMode(instance, simulated, failures);
            CheckKeyRelease(instance, options.SealingKeySource, failures);
        }
        catch (UnauthorizedAccessException ex)
        {
            failures.Add($"Tee:Occlum:InstanceDir '{instance}' cannot be read by this user: {ex.Message}");
        }
        catch (IOException ex)
        {
            failures.Add($"Tee:Occlum:InstanceDir '{instance}' cannot be read: {ex.Message}");
        }
    }

    /// <summary>Occlum.json's limits are measured into the enclave at build time: the Tee section must agree with them.</summary>
    private static void CheckLimits(string instance, OcclumOptions occlum, List<string> failures)
    {
        OcclumInstance.Limits limits;
        try
        {
            limits = OcclumInstance.ReadLimits(instance);
        }
        catch (JsonException ex)
        {
            failures.Add($"Tee:Occlum:InstanceDir '{instance}': {OcclumInstance.ConfigFile} is not valid JSON ({ex.Message}); rebuild it with ops/build_occlum.sh --force.");
            return;
        }

        const string Rebuild = "rebuild the instance with ops/build_occlum.sh (it reads the same Tee__Occlum__* settings) or change the setting to match";
        if (limits.UserSpaceMB is { } userSpace && userSpace != occlum.MaxMemoryMB)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Tee:Occlum:MaxMemoryMB is {occlum.MaxMemoryMB} but the instance at '{instance}' was built with user_space_size {userSpace}MB: {Rebuild}."));
        }

        if (limits.MaxThreads is { } threads && threads != occlum.MaxThreads)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Tee:Occlum:MaxThreads is {occlum.MaxThreads} but the instance at '{instance}' was built with max_num_of_threads {threads}: {Rebuild}."));
        }

        if (limits.Debuggable is { } debuggable && debuggable != occlum.EnableDebugMode)
        {
            failures.Add($"Tee:Occlum:EnableDebugMode is {occlum.EnableDebugMode.ToString().ToLowerInvariant()} but the instance at '{instance}' "
                + $"was built with debuggable {debuggable.ToString().ToLowerInvariant()}: {Rebuild}.");
        }
    }

    private static void CheckSgxMode(string instance, bool simulated, List<string> failures)
    {
        var mode = OcclumInstance.SgxMode(instance);
        if (mode == "SIM" && !simulated)
        {
            failures.Add($"Tee:SimulationMode is false but the instance at '{instance}' (Tee:Occlum:InstanceDir) was built for SGX simulation: "
                + "set Tee:SimulationMode=true (or OCCLUM_SIMULATION=1), or rebuild it with ops/build_occlum.sh --sgx-mode HW.");
        }
        else if (mode == "HW" && simulated)
        {
            failures.Add($"Tee:SimulationMode is true (or OCCLUM_SIMULATION=1) but the instance at '{instance}' (Tee:Occlum:InstanceDir) was built "
                + "for SGX hardware: rebuild it with ops/build_occlum.sh --sgx-mode SIM, or turn simulation off.");
        }
        else if (mode == "HW" && !Path.Exists(SgxDevice))
        {
            failures.Add($"Tee:Occlum:InstanceDir '{instance}' was built for SGX hardware but {SgxDevice} is missing: run on an SGX machine "
                + "(pass the SGX devices to the container), or rebuild with ops/build_occlum.sh --sgx-mode SIM and set Tee:SimulationMode=true.");
        }
    }

    /// <summary>
    /// With <c>Tee:SealingKeySource=Release</c> the enclave must ask for its key, and that is part of its measured
    /// configuration (build_instance.sh puts NEOWORKER_KEY_RELEASE=request in HW instances' env.default), not the host's say.
    /// </summary>
    private static void CheckKeyRelease(string instance, SealingKeySource source, List<string> failures)
    {
        if (source != SealingKeySource.Release)
        {
            return;
        }

        IReadOnlyList<string> environment;
        try
        {
            environment = OcclumInstance.ReadDefaultEnvironment(instance);
        }
        catch (JsonException)
        {
            return; // CheckLimits reported it
        }

        if (!environment.Contains(OcclumInstance.KeyReleaseVariable, StringComparer.Ordinal))
        {
            failures.Add($"Tee:SealingKeySource is Release but the instance at '{instance}' (Tee:Occlum:InstanceDir) does not request its "
                + $"sealing key ({OcclumInstance.KeyReleaseVariable} is not in its Occlum.json env.default): only instances built for SGX "
                + "hardware do, since the request carries the quote. Rebuild with ops/build_occlum.sh --sgx-mode HW, or set Tee:SealingKeySource=Files.");
        }
    }

    private static void CheckTempDir(string tempDir, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(tempDir))
        {
            failures.Add("Tee:Occlum:TempDir is required: a writable directory for each enclave's copy of the instance.");
            return;
        }

        var directory = Path.GetFullPath(tempDir);
        var probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failures.Add($"Tee:Occlum:TempDir '{directory}' is not writable by this user ({ex.Message}): each enclave copies the instance there.");
        }
    }
}
