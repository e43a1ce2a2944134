namespace NeoWorker.Attestation.Sealing;

/// <summary>A release envelope was refused. The message names the reason and never contains key material.</summary>
public sealed class KeyReleaseException : Exception
{
    public KeyReleaseException(KeyReleaseRejection reason, string detail)
        : base($"Key release rejected ({reason}): {detail}")
    {
        Reason = reason;
    }

    public KeyReleaseRejection Reason { get; }
}
