namespace NeoWorker.Attestation.Quotes;

/// <summary>The bytes are not an SGX DCAP ECDSA quote v3 (wrong version, key type, or lengths that do not add up).</summary>
public sealed class QuoteFormatException : Exception
{
    public QuoteFormatException(string message)
        : base(message)
    {
    }
}
