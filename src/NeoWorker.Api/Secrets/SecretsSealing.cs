using Microsoft.Extensions.Options;
using NeoWorker.Attestation.Sealing;
using NeoWorker.Contracts;

namespace NeoWorker.Api.Secrets;

/// <summary>Seals the seed's plaintext <c>secrets</c> to the fleet key the moment they arrive.</summary>
public sealed class SecretsSealing
{
    private readonly SealingPublicKey? _key;
    private readonly SecretSealer _sealer;

    public SecretsSealing(IOptions<SealingOptions> options, IOptions<NeoWorker.Enclave.Configuration.TeeOptions> tee)
    {
        var file = options.Value.PublicKeyFile;
        _key = string.IsNullOrWhiteSpace(file) ? null : SealingPublicKey.FromPem(File.ReadAllText(file));
        _sealer = new SecretSealer(tee.Value.Limits.MaxSecretsBytes);
    }

    public SealingPublicKey? PublicKey => _key;

    /// <summary>Seals one named secret as <c>{"name": value}</c>, bound to the user and the name.</summary>
    public (string? Envelope, string? Error) SealNamed(string name, string value, string userId) =>
        Seal(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { [name] = value }), userId, SecretBindings.NamedSecret(name));

    /// <summary>The envelope, or an error message that never contains the plaintext.</summary>
    public (string? Envelope, string? Error) Seal(string secretsJson, string userId, string functionId)
    {
        if (_key is null)
        {
            return (null, "secrets cannot be sealed: this API has no Sealing:PublicKeyFile; seal them yourself and send sealedSecrets.");
        }

        try
        {
            return (_sealer.Seal(_key, secretsJson, userId, functionId), null);
        }
        catch (SecretsFormatException ex)
        {
            return (null, ex.Message);
        }
    }
}
