namespace NeoWorker.Attestation.Sealing;

/// <summary>A sealing key could not be loaded (wrong PEM label, not P-256, not decodable). Never contains key material.</summary>
public sealed class SealingKeyFormatException : Exception
{
    public SealingKeyFormatException(string message)
        : base(message)
    {
    }
}
