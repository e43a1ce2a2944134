using Microsoft.Extensions.Options;
using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Api.Secrets;

/// <summary>A configured key file must exist and hold a P-256 public key; the message names the key to fix.</summary>
internal sealed class SealingOptionsValidator : IValidateOptions<SealingOptions>
{
    public ValidateOptionsResult Validate(string? name, SealingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PublicKeyFile))
        {
            return ValidateOptionsResult.Success;
        }

        if (!File.Exists(options.PublicKeyFile))
        {
            return ValidateOptionsResult.Fail($"Sealing:PublicKeyFile '{options.PublicKeyFile}' does not exist.");
        }

        try
        {
            _ = SealingPublicKey.FromPem(File.ReadAllText(options.PublicKeyFile));
            return ValidateOptionsResult.Success;
        }
        catch (SealingKeyFormatException ex)
        {
            return ValidateOptionsResult.Fail($"Sealing:PublicKeyFile '{options.PublicKeyFile}': {ex.Message}");
        }
    }
}
