using Microsoft.Extensions.Options;

namespace NeoWorker.Api.Attestation;

internal sealed class AttestationOptionsValidator : IValidateOptions<AttestationOptions>
{
    public ValidateOptionsResult Validate(string? name, AttestationOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SimulationRootFile) && !File.Exists(options.SimulationRootFile))
        {
            return ValidateOptionsResult.Fail($"Attestation:SimulationRootFile '{options.SimulationRootFile}' does not exist.");
        }

        var bad = options.AllowedMrEnclaves.Concat(options.AllowedMrSigners).FirstOrDefault(v => v.Length != 64 || !v.All(Uri.IsHexDigit));
        return bad is null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Attestation:AllowedMrEnclaves/AllowedMrSigners: '{bad}' is not 64 hex digits.");
    }
}
