namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>A fact that is skipped, with a message, when <c>openssl</c> is not on PATH.</summary>
public sealed class OpenSslFactAttribute : FactAttribute
{
    public OpenSslFactAttribute()
    {
        if (!OpenSsl.IsAvailable) Skip = "openssl is not on PATH, so keys written by openssl cannot be made here.";
    }
}
