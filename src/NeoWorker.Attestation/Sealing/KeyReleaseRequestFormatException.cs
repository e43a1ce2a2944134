namespace NeoWorker.Attestation.Sealing;

/// <summary>A key request is not the version-1 request document. The message names the field, never quotes its value.</summary>
public sealed class KeyReleaseRequestFormatException : Exception
{
    public KeyReleaseRequestFormatException(string message)
        : base(message)
    {
    }
}
