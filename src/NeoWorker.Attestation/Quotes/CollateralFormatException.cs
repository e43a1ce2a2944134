namespace NeoWorker.Attestation.Quotes;

/// <summary>Verification collateral (TCB Info, QE Identity, CRL, issuer chain) that cannot be read.</summary>
public sealed class CollateralFormatException : Exception
{
    public CollateralFormatException(string message)
        : base(message)
    {
    }
}
