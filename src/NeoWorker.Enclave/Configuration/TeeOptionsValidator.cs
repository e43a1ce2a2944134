using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Occlum;

namespace NeoWorker.Enclave.Configuration;

/// <summary>Cross-field rules of the <c>Tee</c> section; every message names the key to fix.</summary>
internal sealed class TeeOptionsValidator(IHostEnvironment environment) : IValidateOptions<TeeOptions>
{
    public ValidateOptionsResult Validate(string? name, TeeOptions options)
    {
        var failures = new List<string>();

        if (options.Type == TeeType.Simulation && !options.AllowSimulation && !environment.IsDevelopment())
        {
            failures.Add($"Tee:Type is Simulation in environment '{environment.EnvironmentName}': a simulated enclave proves nothing. "
                + "Set Tee:AllowSimulation=true to run it anyway, or Tee:Type=Occlum on an SGX machine.");
        }

        if (options.Type == TeeType.Occlum)
        {
            // Occlum reads its instance from Tee:Occlum:InstanceDir; Tee:EnclavePath is the Simulation runner's.
            OcclumChecks.Validate(options, environment, failures);
        }
        else if (string.IsNullOrWhiteSpace(options.EnclavePath))
        {
            failures.Add("Tee:EnclavePath is required: the runner directory (src/NeoWorker.Enclave/runner) for Simulation.");
        }
        else if (options.Type == TeeType.Simulation && !File.Exists(RunnerLayout.EntryPoint(options.EnclavePath)))
        {
            failures.Add($"Tee:EnclavePath '{options.EnclavePath}' does not hold the runner ({RunnerLayout.EntryScript} is missing); "
                + "point it at src/NeoWorker.Enclave/runner after 'npm ci' there.");
        }

        KeyReleaseChecks.Validate(options, failures);

        for (var i = 0; i < options.Simulation.SealingKeyFiles.Count; i++)
        {
            if (!File.Exists(options.Simulation.SealingKeyFiles[i]))
            {
                failures.Add($"Tee:Simulation:SealingKeyFiles:{i} '{options.Simulation.SealingKeyFiles[i]}' does not exist.");
            }
        }

        foreach (var (key, file) in new[] { ("AttestationKeyFile", options.Simulation.AttestationKeyFile), ("AttestationChainFile", options.Simulation.AttestationChainFile) })
        {
            if (!string.IsNullOrWhiteSpace(file) && !File.Exists(file))
            {
                failures.Add($"Tee:Simulation:{key} '{file}' does not exist.");
            }
        }

        if (options.Limits.JobMemoryMB >= options.Occlum.MaxMemoryMB)
        {
            failures.Add($"Tee:Limits:JobMemoryMB ({options.Limits.JobMemoryMB}) must be below Tee:Occlum:MaxMemoryMB ({options.Occlum.MaxMemoryMB}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
