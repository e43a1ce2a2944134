namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// An envelope could not be unsealed. The message names the reason and never contains plaintext,
/// key material or text taken from the envelope (only a well-formed <c>kid</c>, for an unknown key).
/// </summary>
public sealed class SealedSecretsException : Exception
{
    public SealedSecretsException(SealedSecretsReason reason, string detail)
        : base($"Sealed secrets rejected ({reason}): {detail}")
    {
        Reason = reason;
    }

    public SealedSecretsReason Reason { get; }
}
