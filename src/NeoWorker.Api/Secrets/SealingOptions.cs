namespace NeoWorker.Api.Secrets;

/// <summary>
/// Section <c>Sealing</c>: the fleet's public sealing key (SPKI PEM). The API only ever seals; the
/// private key never comes near it.
/// </summary>
public sealed class SealingOptions
{
    public const string SectionName = "Sealing";

    /// <summary>Path of the fleet public key; without it, plaintext <c>secrets</c> are refused (sealedSecrets still work).</summary>
    public string? PublicKeyFile { get; set; }
}
