namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// The secrets given to seal are not acceptable (not a JSON object, too large, not well-formed text).
/// The message never contains the secrets or any part of them.
/// </summary>
public sealed class SecretsFormatException : Exception
{
    public SecretsFormatException(string message)
        : base(message)
    {
    }
}
